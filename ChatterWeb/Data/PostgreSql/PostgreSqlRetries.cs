using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL;

namespace ChatterWeb.Data.PostgreSql;

/// <summary>
/// Npgsql's retrying strategy (a failure it calls transient runs the whole operation, transaction
/// included, again: 40001 serialization failure, 40P01 deadlock, a dropped connection, ...), except
/// a lock wait that ran out (55P03): the writer's bounded lock wait (<see cref="PostgreSqlMessageRows"/>)
/// is there so its senders hear "not saved" within seconds, and retrying it would only multiply the wait.
/// </summary>
public sealed class PostgreSqlRetries(ExecutionStrategyDependencies dependencies)
    : NpgsqlRetryingExecutionStrategy(dependencies, MaxRetries)
{
    public const int MaxRetries = 3;

    protected override bool ShouldRetryOn(Exception? exception) =>
        exception is not PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable } && base.ShouldRetryOn(exception);
}
