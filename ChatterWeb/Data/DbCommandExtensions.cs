using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace ChatterWeb.Data;

/// <summary>For the few statements written as plain commands (the providers' <see cref="IMessageRows"/> and <see cref="IReadMarkRows"/>).</summary>
internal static class DbCommandExtensions
{
    /// <summary>A plain command on the context's connection, in its current transaction.</summary>
    public static DbCommand NewCommand(this ChatterDbContext db, string sql)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = sql;
        return command;
    }

    /// <summary>
    /// A parameter typed by the provider from its value (a long is a 64-bit integer on both
    /// providers); null is DBNull. A string compared with a sized key column is better made by the
    /// column's own type mapping (<c>RelationalTypeMapping.CreateParameter</c>).
    /// </summary>
    public static void AddParameter(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    /// <summary>
    /// Runs a provider's "move the room's LastSeq on by @count and return it, unless the room is
    /// archived" statement (parameters <c>@count</c> and <c>@room</c>) and returns the new LastSeq;
    /// null when no row was updated (the room is archived, or gone).
    /// </summary>
    public static async Task<long?> AdvanceSeqAsync(this ChatterDbContext db, string sql, long roomId, long count, CancellationToken ct)
    {
        await using var command = db.NewCommand(sql);
        command.AddParameter("@count", count);
        command.AddParameter("@room", roomId);
        return await command.ExecuteScalarAsync(ct) is { } value and not DBNull
            ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }
}
