using System.ComponentModel.DataAnnotations;

namespace ChatterWeb.Data;

/// <summary>Bound from <c>Chatter:Database</c>; the connection string is <c>ConnectionStrings:Chatter</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Chatter:Database";
    public const string DefaultSqliteConnection = "Data Source=data/chatter.db";

    [EnumDataType(typeof(DatabaseProvider))]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply migrations and seed the first room at start-up.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}
