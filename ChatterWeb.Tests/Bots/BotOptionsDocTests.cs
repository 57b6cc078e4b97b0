using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using ChatterWeb.Bots;

namespace ChatterWeb.Tests.Bots;

/// <summary>docs/OPERATIONS.md lists every bot setting with its real default.</summary>
public class BotOptionsDocTests
{
    public static TheoryData<string, string> Options()
    {
        var data = new TheoryData<string, string>();
        var defaults = new BotOptions();
        foreach (var property in typeof(BotOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            data.Add($"{BotOptions.Section}:{property.Name}", property.GetValue(defaults) switch
            {
                TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
                string[] { Length: 0 } or null => "(none)",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                var v => v.ToString()!,
            });
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Options))]
    public void Every_bot_setting_is_documented_with_its_default(string key, string expected)
    {
        var row = Regex.Match(RepositoryRoot.Read("docs/OPERATIONS.md"), $@"(?m)^\| `{Regex.Escape(key)}` \| ([^|]+) \|");
        Assert.True(row.Success, $"docs/OPERATIONS.md has no table row for `{key}`");
        Assert.Equal(expected, row.Groups[1].Value.Trim().Trim('`'));
    }
}
