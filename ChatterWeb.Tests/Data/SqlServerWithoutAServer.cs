using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Data.SqlClient;

namespace ChatterWeb.Tests.Data;

/// <summary>
/// A stand-in connection for the real SQL Server provider (DatabaseFacade.SetDbConnection): the
/// app's real code runs, every command is recorded (text, real SqlParameters, transaction) instead
/// of sent. Like SqlClient it refuses commands on a closed connection and commands outside a
/// pending transaction, so transaction mistakes show up here too. Readers come from
/// <see cref="Results"/>; anything unanswered is an empty result.
/// </summary>
public sealed class SqlServerWithoutAServer : DbConnection
{
    public sealed record Parameter(string Name, SqlDbType Type, int Size, object? Value);

    public sealed record Command(string Kind, string Text, IReadOnlyList<Parameter> Parameters, DbTransaction? Transaction)
    {
        public string OneLine => System.Text.RegularExpressions.Regex.Replace(Text, @"\s+", " ").Trim();
        public Parameter this[string name] => Parameters.Single(p => p.Name == name);
    }

    private readonly List<Command> _commands = [];
    private readonly List<string> _events = [];
    private ConnectionState _state = ConnectionState.Closed;
    private StandInTransaction? _pending;

    /// <summary>Rows to answer a reader (or scalar) command with, chosen by its text; null for no rows.</summary>
    public Func<string, DataTable?> Results { get; init; } = _ => null;

    public IReadOnlyList<Command> Commands { get { lock (_commands) return [.. _commands]; } }

    /// <summary>"begin@N", "commit@N", "rollback@N": what happened to transactions, N = commands sent before it.</summary>
    public IReadOnlyList<string> TransactionEvents { get { lock (_commands) return [.. _events]; } }

    [AllowNull]
    public override string ConnectionString { get; set; } = "Server=none.invalid;Database=Chatter";
    public override string Database => "Chatter";
    public override string DataSource => "none.invalid";
    public override string ServerVersion => "16.00.1000"; // SQL Server 2022
    public override ConnectionState State => _state;
    public override void ChangeDatabase(string databaseName) => throw new NotSupportedException();
    public override void Open() => _state = ConnectionState.Open;
    public override void Close() => _state = ConnectionState.Closed;

    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel)
    {
        RequireOpen("BeginTransaction");
        if (_pending is not null)
            throw new InvalidOperationException("SqlConnection does not support parallel transactions.");
        Note("begin");
        return _pending = new StandInTransaction(this, isolationLevel);
    }

    protected override DbCommand CreateDbCommand() => new RecordingCommand(this);

    private DataTable Execute(string kind, RecordingCommand command)
    {
        RequireOpen(kind);
        if (_pending is not null && !ReferenceEquals(command.Transaction, _pending))
            throw new InvalidOperationException($"{kind} requires the command to have a transaction when the connection is in a pending local transaction.");
        var parameters = command.Parameters.Cast<SqlParameter>().Select(p => new Parameter(p.ParameterName, p.SqlDbType, p.Size, p.Value)).ToList();
        lock (_commands) _commands.Add(new Command(kind, command.CommandText, parameters, command.Transaction));
        return (kind is "reader" or "scalar" ? Results(command.CommandText) : null) ?? NoRows();
    }

    /// <summary>An empty result wide enough for any projection (the retrying strategy buffers and checks the field count).</summary>
    private static DataTable NoRows()
    {
        var table = new DataTable();
        for (var i = 0; i < 64; i++)
            table.Columns.Add($"c{i}", typeof(object));
        return table;
    }

    private void RequireOpen(string what)
    {
        if (_state != ConnectionState.Open)
            throw new InvalidOperationException($"{what} requires an open and available Connection.");
    }

    private void Note(string what)
    {
        lock (_commands) _events.Add($"{what}@{_commands.Count}");
    }

    private void End(StandInTransaction transaction, string how)
    {
        if (ReferenceEquals(_pending, transaction))
        {
            _pending = null;
            Note(how);
        }
    }

    /// <summary>Wraps a real, never executed SqlCommand so EF configures real SqlParameters.</summary>
    private sealed class RecordingCommand(SqlServerWithoutAServer connection) : DbCommand
    {
        private readonly SqlCommand _inner = new();

        [AllowNull]
        public override string CommandText { get => _inner.CommandText; set => _inner.CommandText = value; }
        public override int CommandTimeout { get => _inner.CommandTimeout; set => _inner.CommandTimeout = value; }
        public override CommandType CommandType { get => _inner.CommandType; set => _inner.CommandType = value; }
        public override bool DesignTimeVisible { get; set; }
        public override UpdateRowSource UpdatedRowSource { get => _inner.UpdatedRowSource; set => _inner.UpdatedRowSource = value; }
        protected override DbConnection? DbConnection { get; set; } = connection;
        protected override DbParameterCollection DbParameterCollection => _inner.Parameters;
        protected override DbTransaction? DbTransaction { get; set; }
        public override void Cancel() { }
        public override void Prepare() { }
        protected override DbParameter CreateDbParameter() => _inner.CreateParameter();
        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => connection.Execute("reader", this).CreateDataReader();

        public override int ExecuteNonQuery()
        {
            connection.Execute("non-query", this);
            return 1;
        }

        public override object? ExecuteScalar()
        {
            var table = connection.Execute("scalar", this);
            return table.Rows.Count > 0 ? table.Rows[0][0] : null;
        }
    }

    private sealed class StandInTransaction(SqlServerWithoutAServer connection, IsolationLevel isolationLevel) : DbTransaction
    {
        public override IsolationLevel IsolationLevel => isolationLevel;
        protected override DbConnection DbConnection => connection;
        public override void Commit() => connection.End(this, "commit");
        public override void Rollback() => connection.End(this, "rollback");

        protected override void Dispose(bool disposing)
        {
            connection.End(this, "rollback"); // disposing an uncommitted SqlTransaction rolls it back
            base.Dispose(disposing);
        }
    }
}
