using System.Collections.Concurrent;
using System.Data.Common;
using ChatterWeb.Data;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace ChatterWeb.Tests.Rooms;

/// <summary>
/// The app with an EF interceptor that records, for requests carrying <see cref="Header"/>, every SQL
/// statement and every connection open (the request is found through IHttpContextAccessor, so the
/// app's background work is not counted).
/// </summary>
public sealed class QueryCountingServer : ChatterServer
{
    public const string Header = "X-Test-Count-Queries";

    public ConcurrentDictionary<string, ConcurrentQueue<string>> Seen { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.AddHttpContextAccessor();
            services.ConfigureDbContext<SqliteChatterDbContext>((sp, o) => o.AddInterceptors(new Recorder(this, sp.GetRequiredService<IHttpContextAccessor>())));
        });
    }

    private sealed class Recorder(QueryCountingServer server, IHttpContextAccessor http) : DbConnectionInterceptor, IDbCommandInterceptor
    {
        private void Add(string what)
        {
            if (http.HttpContext?.Request.Headers[Header].ToString() is { Length: > 0 } key)
                server.Seen.GetOrAdd(key, _ => new()).Enqueue(what);
        }

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Add("open");
            return Task.CompletedTask;
        }

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Add("open");

        public ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Add(command.CommandText);
            return ValueTask.FromResult(result);
        }

        public ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Add(command.CommandText);
            return ValueTask.FromResult(result);
        }

        public ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Add(command.CommandText);
            return ValueTask.FromResult(result);
        }

        public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Add(command.CommandText);
            return result;
        }
    }
}

/// <summary>
/// The room page reads the database three times on one connection: the room with the viewer's
/// membership, the sidebar (rooms and unread counts), the newest messages; a fourth read names the
/// viewer's direct messages when they have any. It ran nine queries, each opening the connection.
/// Before the page, the sign-in session is checked (one statement on its own connection, as on every
/// request: a session ended anywhere is refused at once); it is counted apart.
/// </summary>
public class RoomPageQueryCountTests(QueryCountingServer server) : IClassFixture<QueryCountingServer>
{
    private async Task<(List<string> Statements, int Opens, string Html)> VisitAsync(TestUser user, string path)
    {
        var key = Guid.NewGuid().ToString("N");
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(QueryCountingServer.Header, key);
        using var response = await user.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var html = await response.Content.ReadAsStringAsync();
        var seen = server.Seen.TryGetValue(key, out var q) ? q.ToList() : [];
        var session = seen.Where(s => s.Contains("\"SignInSessions\"", StringComparison.Ordinal)).ToList();
        Assert.True(session.Count == 1, $"{session.Count} session checks:\n{string.Join("\n\n", session)}");
        // the session check's own connection is not the page's
        return ([.. seen.Where(s => s != "open" && !session.Contains(s))], seen.Count(s => s == "open") - 1, html);
    }

    [Fact]
    public async Task A_room_page_is_three_statements_on_one_connection_and_four_with_direct_messages()
    {
        var ann = await server.SignUpAsync("Ann Query");
        var bob = await server.SignUpAsync("Bob Query");
        await ann.Http.GetStringAsync("/rooms/general"); // the first visit also joins the room

        var (statements, opens, html) = await VisitAsync(ann, "/rooms/general");
        Assert.True(statements.Count == 3, $"{statements.Count} statements:\n{string.Join("\n\n", statements)}");
        Assert.Equal(1, opens);
        Assert.Contains("id=\"direct-list\"", html);

        var dm = await ChatterServer.PostFormAsync(ann.Http, "/direct", new() { ["with"] = bob.Id }, "/direct");
        var dmPath = dm.Headers.Location!.ToString();
        (statements, opens, html) = await VisitAsync(ann, dmPath);
        Assert.True(statements.Count == 4, $"{statements.Count} statements:\n{string.Join("\n\n", statements)}");
        Assert.Equal(1, opens);
        Assert.Contains("Direct message with </span>Bob Query</h1>", html); // the title, from the sidebar's direct list
    }
}
