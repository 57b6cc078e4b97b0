using System.Text;

namespace ChatterWeb.Accounts.Ldap;

/// <summary>Search filters with user input as a value, never as filter syntax (RFC 4515).</summary>
public static class LdapFilter
{
    /// <summary>
    /// Escapes a value for a filter: <c>*</c>, <c>(</c>, <c>)</c>, <c>\</c> and NUL (RFC 4515 section 3),
    /// and every other control character, become <c>\XX</c>. <c>*)(uid=*</c> is then a literal value that
    /// matches nobody, instead of "everybody".
    /// </summary>
    public static string Escape(string value)
    {
        var escaped = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (c is '*' or '(' or ')' or '\\' || char.IsControl(c))
                escaped.Append('\\').Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            else
                escaped.Append(c);
        }
        return escaped.ToString();
    }

    /// <summary>The template with every <c>{0}</c> replaced by the escaped value (not string.Format: filters hold no format syntax).</summary>
    public static string Format(string template, string value) => template.Replace("{0}", Escape(value), StringComparison.Ordinal);
}
