using System.Net;
using System.Net.Http.Headers;
using System.Text;
using ChatterWeb.Messages;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Messages;

/// <summary>A small burst and a slow refill, so the one message rate trips after five writes.</summary>
public class SmallBurstServer : ChatterServer
{
    public const int Burst = 5;

    public SmallBurstServer() : this(null)
    {
    }

    protected SmallBurstServer(TestDatabase? database) : base(database)
    {
    }

    public sealed class OnPostgreSql() : SmallBurstServer(TestDatabase.PostgreSql());

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("Chatter:Realtime:MessageBurst", Burst.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Chatter:Realtime:MessagesPerSecond", "0.01"),
    ];
}

/// <summary>
/// One rate for every way a person writes (socket, form post, edit, upload): the limit lives in the
/// shared handlers, so no path gets around it. The review stored 25 form posts in 0.07 s and
/// broadcast 25 edits in 0.2 s.
/// </summary>
public abstract class MessageRateTests(SmallBurstServer server)
{
    private const string Slug = "general";

    [Fact]
    public async Task Form_posts_beyond_the_burst_get_429_and_are_not_stored()
    {
        var user = await server.SignUpAsync();
        var token = ChatterServer.AntiforgeryToken(await user.Http.GetStringAsync("/rooms/" + Slug));

        var responses = await Task.WhenAll(Enumerable.Range(0, 25).Select(i =>
            user.Http.PostAsync($"/rooms/{Slug}/messages", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["body"] = $"form flood {i}",
                ["__RequestVerificationToken"] = token,
            }))));

        Assert.Equal(SmallBurstServer.Burst, responses.Count(r => r.StatusCode == HttpStatusCode.Redirect));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.Equal(25 - SmallBurstServer.Burst, refused.Count);
        Assert.Equal(MessageRate.TooFastError, await refused[0].Content.ReadAsStringAsync());
        Assert.Equal(SmallBurstServer.Burst, await StoredByAsync(user));
    }

    [Fact]
    public async Task Edits_spend_from_the_same_rate_and_beyond_it_get_429()
    {
        var user = await server.SignUpAsync();
        await using var socket = await user.JoinAsync(Slug);
        await socket.SendMessageAsync("the first draft");
        var frame = await socket.WaitForMessageAsync("the first draft");
        var seq = long.Parse(System.Text.RegularExpressions.Regex.Match(frame, "id=\"m-(\\d+)\"").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var token = ChatterServer.AntiforgeryToken(await user.Http.GetStringAsync("/rooms"));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 25; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, MessageActions.EditPath(Slug, seq))
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["body"] = $"draft {i}", ["__RequestVerificationToken"] = token }),
            };
            request.Headers.Add("HX-Request", "true");
            statuses.Add((await user.Http.SendAsync(request)).StatusCode);
        }

        // one token went to the message itself
        Assert.Equal(SmallBurstServer.Burst - 1, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(25 - (SmallBurstServer.Burst - 1), statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        var body = await server.WithDbAsync(db => db.Messages.Where(m => m.AuthorId == user.Id).Select(m => m.Body).SingleAsync());
        Assert.Equal($"draft {SmallBurstServer.Burst - 2}", body);
    }

    [Fact]
    public async Task The_socket_the_form_and_the_upload_share_one_bucket()
    {
        var user = await server.SignUpAsync();
        await using var socket = await user.JoinAsync(Slug);
        for (var i = 0; i < SmallBurstServer.Burst; i++)
            await socket.SendMessageAsync($"socket {i}");
        for (var i = 0; i < SmallBurstServer.Burst; i++)
            await socket.WaitForMessageAsync($"socket {i}");

        var form = await ChatterServer.PostFormAsync(user.Http, $"/rooms/{Slug}/messages", new() { ["body"] = "one more by form" }, "/rooms/" + Slug);
        Assert.Equal(HttpStatusCode.TooManyRequests, form.StatusCode);

        using var upload = new MultipartFormDataContent
        {
            { new StringContent(ChatterServer.AntiforgeryToken(await user.Http.GetStringAsync("/rooms/" + Slug))), "__RequestVerificationToken" },
            { new StringContent(Guid.NewGuid().ToString()), "clientMessageId" },
        };
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes("plain text file"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        upload.Add(file, "file", "notes.txt");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/rooms/{Slug}/attachments") { Content = upload };
        request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        var uploaded = await user.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.TooManyRequests, uploaded.StatusCode);
        Assert.Equal(MessageRate.TooFastError, await uploaded.Content.ReadAsStringAsync());

        await socket.SendMessageAsync("and one more by socket");
        await socket.WaitForAsync(f => f.Contains("too fast"));
        Assert.Equal(SmallBurstServer.Burst, await StoredByAsync(user));
        Assert.Equal(0, await server.WithDbAsync(db => db.Attachments.CountAsync(a => a.UploaderId == user.Id)));
    }

    private Task<int> StoredByAsync(TestUser user) => server.WithDbAsync(db => db.Messages.CountAsync(m => m.AuthorId == user.Id));

    public sealed class OnSqlite(SmallBurstServer server) : MessageRateTests(server), IClassFixture<SmallBurstServer>;

    public sealed class OnPostgreSql(SmallBurstServer.OnPostgreSql server) : MessageRateTests(server), IClassFixture<SmallBurstServer.OnPostgreSql>;
}
