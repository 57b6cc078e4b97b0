using System.Data.Common;

namespace ChatterWeb.Data;

/// <summary>For the few statements written as plain commands (see MessageWriter and ReadState).</summary>
internal static class DbCommandExtensions
{
    /// <summary>
    /// A parameter typed by the provider from its value (a long is a 64-bit integer on both
    /// providers); null is DBNull. <paramref name="size"/>, when not 0, sizes it like its column
    /// (SQL Server: one cached plan, no conversion; never set for SQLite, where it would truncate).
    /// </summary>
    public static void AddParameter(this DbCommand command, string name, object? value, int size = 0)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        if (size > 0)
            parameter.Size = size;
        command.Parameters.Add(parameter);
    }
}
