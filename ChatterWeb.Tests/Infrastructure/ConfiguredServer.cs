namespace ChatterWeb.Tests.Infrastructure;

/// <summary>A <see cref="ChatterServer"/> with settings of its own (a directory, a registration policy), given before it starts.</summary>
public class ConfiguredServer(IEnumerable<KeyValuePair<string, string?>> settings) : ChatterServer
{
    // A field initializer: set before the base constructor starts the server and reads Settings().
    private readonly List<KeyValuePair<string, string?>> _settings = [.. settings];

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => _settings;

    /// <summary>Accounts in the database.</summary>
    public Task<int> AccountCountAsync() => WithDbAsync(db => Task.FromResult(db.Users.Count()));
}
