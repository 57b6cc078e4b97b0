using System.Data.Common;

namespace ChatterWeb.Data;

/// <summary>For the few statements written as plain commands (see MessageWriter and ReadState).</summary>
internal static class DbCommandExtensions
{
    /// <summary>
    /// A parameter typed by the provider from its value (a long is a 64-bit integer on both
    /// providers); null is DBNull. A string compared with a sized key column is better made by the
    /// column's own type mapping (<c>RelationalTypeMapping.CreateParameter</c>; see ReadState).
    /// </summary>
    public static void AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
