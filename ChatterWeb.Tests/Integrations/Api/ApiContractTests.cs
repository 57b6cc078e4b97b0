using System.Net;
using System.Text;
using System.Text.Json;
using ChatterWeb.Data;
using ChatterWeb.Integrations;
using ChatterWeb.Integrations.Api;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ChatterWeb.Tests.Integrations.Api.ApiCalls;

namespace ChatterWeb.Tests.Integrations.Api;

/// <summary>
/// The contract of <c>/api/v1</c> over real HTTP: who may call what (token, scope, room), the keyset
/// paging, posts through the one post path (live, unread, search, the person's rate), Idempotency-Key,
/// edits and deletes of one's own messages, and problem details for every refusal.
/// </summary>
public abstract class ApiContractTests(ApiServer server)
{
    private static readonly string[] Operations =
    [
        "GET /api/v1/me", "GET /api/v1/rooms", "GET /api/v1/rooms/general/messages", "POST /api/v1/rooms/general/messages",
        "PATCH /api/v1/rooms/general/messages/1", "DELETE /api/v1/rooms/general/messages/1",
    ];

    private static HttpRequestMessage Request(string operation)
    {
        var (method, path) = (operation.Split(' ')[0], operation.Split(' ')[1]);
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PATCH")
            request.Content = new StringContent("""{"text":"not stored"}""", Encoding.UTF8, "application/json");
        return request;
    }

    private Task<int> CountAsync(string text) => server.WithDbAsync(db => db.Messages.CountAsync(m => m.Body.Contains(text)));

    private static string Word(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    private static string[] Scopes(JsonElement me) => [.. me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()!)];

    private static string Seqs(IEnumerable<long> seqs) => string.Join(",", seqs);

    [Fact]
    public async Task Every_call_without_a_valid_token_is_401_problem_details()
    {
        var errorsBefore = server.Errors.Entries.Count;
        var ada = await server.SignUpAsync();
        var unknown = SecretToken.New(SecretToken.ApiPrefix);
        foreach (var (scheme, token) in new (string, string?)[] { ("Bearer", null), ("Basic", "YWRhOnBhc3N3b3Jk"), ("Bearer", "nonsense"), ("Bearer", unknown), ("Bearer", SecretToken.New(SecretToken.HookPrefix)) })
        {
            var http = ApiClient(server, token, scheme);
            foreach (var operation in Operations)
            {
                var response = await http.SendAsync(Request(operation));
                await AssertProblemAsync(response, HttpStatusCode.Unauthorized);
                Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString());
            }
        }
        // a signed-in browser's cookie is no token either
        foreach (var operation in Operations)
            await AssertProblemAsync(await ada.Http.SendAsync(Request(operation)), HttpStatusCode.Unauthorized);
        Assert.Equal(0, await CountAsync("not stored"));
        Assert.Empty(server.Errors.Entries.Skip(errorsBefore));
    }

    [Fact]
    public async Task Scopes_limit_what_a_token_may_do()
    {
        var ada = await server.SignUpAsync();
        var slug = await CreateRoomAsync(ada);
        var reader = ApiClient(server, await TokenAsync(ada, "read"));
        var poster = ApiClient(server, await TokenAsync(ada, "post"));

        Assert.Equal(new[] { "read" }, Scopes(await GetJsonAsync(reader, "/api/v1/me")));
        Assert.Equal(new[] { "post" }, Scopes(await GetJsonAsync(poster, "/api/v1/me")));

        // read only: reads, never writes
        await GetJsonAsync(reader, "/api/v1/rooms");
        await GetJsonAsync(reader, $"/api/v1/rooms/{slug}/messages");
        var refused = await PostTextAsync(reader, slug, "read-only post");
        await AssertProblemAsync(refused, HttpStatusCode.Forbidden);
        Assert.Contains("insufficient_scope", refused.Headers.WwwAuthenticate.ToString());
        var seq = await PostAsync(poster, slug, "posted with post");
        await AssertProblemAsync(await SendJsonAsync(reader, HttpMethod.Patch, $"/api/v1/rooms/{slug}/messages/{seq}", """{"text":"edited by reader"}"""), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await reader.DeleteAsync($"/api/v1/rooms/{slug}/messages/{seq}"), HttpStatusCode.Forbidden);

        // post only: writes, never reads
        await AssertProblemAsync(await poster.GetAsync("/api/v1/rooms"), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await poster.GetAsync($"/api/v1/rooms/{slug}/messages"), HttpStatusCode.Forbidden);
        Assert.Equal(0, await CountAsync("read-only post"));
        Assert.Equal(0, await CountAsync("edited by reader"));
        Assert.Equal(1, await CountAsync("posted with post"));
    }

    [Fact]
    public async Task Me_says_who_the_token_speaks_for()
    {
        var ada = await server.SignUpAsync("Ada Lovelace");
        var me = await GetJsonAsync(ApiClient(server, await TokenAsync(ada)), "/api/v1/me");
        Assert.Equal(ada.Id, me.GetProperty("id").GetString());
        Assert.Equal("Ada Lovelace", me.GetProperty("displayName").GetString());
        Assert.False(me.GetProperty("bot").GetBoolean());
        Assert.Equal(new[] { "read", "post" }, Scopes(me));
    }

    [Fact]
    public async Task Rooms_are_those_the_account_may_read()
    {
        var ada = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var open = await CreateRoomAsync(bob);
        var adasClosed = await CreateRoomAsync(ada, membersOnly: true);
        var bobsClosed = await CreateRoomAsync(bob, membersOnly: true);
        var sharedClosed = await CreateRoomAsync(bob, membersOnly: true);
        await AddMemberAsync(bob, sharedClosed, ada);

        var rooms = (await GetJsonAsync(ApiClient(server, await TokenAsync(ada, "read")), "/api/v1/rooms")).EnumerateArray()
            .ToDictionary(r => r.GetProperty("slug").GetString()!, r => r.GetProperty("kind").GetString());
        Assert.Equal("open", rooms["general"]);
        Assert.Equal("open", rooms[open]);
        Assert.Equal("closed", rooms[adasClosed]);
        Assert.Equal("closed", rooms[sharedClosed]);
        Assert.DoesNotContain(bobsClosed, rooms.Keys);
    }

    [Fact]
    public async Task Messages_page_by_seq_as_load_older_does()
    {
        var ada = await server.SignUpAsync();
        var slug = await CreateRoomAsync(ada);
        var api = ApiClient(server, await TokenAsync(ada));
        var posted = new List<long>();
        for (var i = 0; i < 7; i++)
            posted.Add(await PostAsync(api, slug, $"page message {i}"));
        var seqs = posted.ToArray();

        async Task<(string Seqs, bool Older, bool Newer)> PageAsync(string query)
        {
            var page = await GetJsonAsync(api, $"/api/v1/rooms/{slug}/messages{query}");
            return (Seqs(page.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64())),
                page.GetProperty("hasOlder").GetBoolean(), page.GetProperty("hasNewer").GetBoolean());
        }

        Assert.Equal((Seqs(seqs), false, false), await PageAsync(""));
        Assert.Equal((Seqs(seqs[4..]), true, false), await PageAsync("?limit=3"));
        Assert.Equal((Seqs(seqs[1..4]), true, true), await PageAsync($"?before={seqs[4]}&limit=3"));
        Assert.Equal((Seqs(seqs[..1]), false, true), await PageAsync($"?before={seqs[1]}&limit=3"));
        Assert.Equal((Seqs(seqs[..3]), false, true), await PageAsync("?after=0&limit=3"));
        Assert.Equal((Seqs(seqs[3..6]), true, true), await PageAsync($"?after={seqs[2]}&limit=3"));
        Assert.Equal((Seqs(seqs[6..]), true, false), await PageAsync($"?after={seqs[5]}&limit=3"));
        Assert.Equal(("", true, false), await PageAsync($"?after={seqs[6]}"));
        Assert.Equal((Seqs(seqs), false, false), await PageAsync("?limit=200"));

        var first = (await GetJsonAsync(api, $"/api/v1/rooms/{slug}/messages?limit=1")).GetProperty("messages")[0];
        Assert.Equal("page message 6", first.GetProperty("text").GetString());
        Assert.Equal(ada.Id, first.GetProperty("author").GetProperty("id").GetString());
        Assert.Equal(ada.DisplayName, first.GetProperty("author").GetProperty("name").GetString());
        Assert.Equal($"/rooms/{slug}/@{seqs[6]}", first.GetProperty("permalink").GetString());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("editedAt").ValueKind);
        Assert.False(first.GetProperty("deleted").GetBoolean());

        foreach (var bad in new[] { "?limit=0", "?limit=201", "?limit=abc", "?before=0", "?before=x", "?after=-1", $"?before={seqs[3]}&after={seqs[1]}", "?limit=99999999999" })
            await AssertProblemAsync(await api.GetAsync($"/api/v1/rooms/{slug}/messages{bad}"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_room_the_account_may_not_read_is_404_like_one_that_does_not_exist()
    {
        var ada = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var closed = await CreateRoomAsync(bob, membersOnly: true);
        var seq = await PostAsync(ApiClient(server, await TokenAsync(bob)), closed, "bob's secret");
        var api = ApiClient(server, await TokenAsync(ada));

        foreach (var slug in new[] { closed, "no-such-room", "Bad%20Slug" })
        {
            await AssertProblemAsync(await api.GetAsync($"/api/v1/rooms/{slug}/messages"), HttpStatusCode.NotFound);
            await AssertProblemAsync(await PostTextAsync(api, slug, "ada was here"), HttpStatusCode.NotFound);
            await AssertProblemAsync(await SendJsonAsync(api, HttpMethod.Patch, $"/api/v1/rooms/{slug}/messages/{seq}", """{"text":"ada was here"}"""), HttpStatusCode.NotFound);
            await AssertProblemAsync(await api.DeleteAsync($"/api/v1/rooms/{slug}/messages/{seq}"), HttpStatusCode.NotFound);
        }
        Assert.Equal(0, await CountAsync("ada was here"));
        Assert.Equal(1, await CountAsync("bob's secret"));
    }

    [Fact]
    public async Task A_post_takes_the_one_post_path_live_unread_mentions_and_search()
    {
        var ada = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var slug = await CreateRoomAsync(ada, membersOnly: true);
        await AddMemberAsync(ada, slug, bob);
        var roomId = await server.RoomIdAsync(slug);
        var api = ApiClient(server, await TokenAsync(ada));

        await using var room = await bob.JoinAsync(slug);
        await using var stream = await TestSocket.ConnectPathAsync(server.BaseUri, "/me/ws", bob.Cookies, server.Origin);
        await server.UntilStreamHasAsync(bob.Id);
        var word = Word("wombat");
        var response = await PostTextAsync(api, slug, $"deploy **{word}** done, @{bob.DisplayName}");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var message = await JsonAsync(response);
        var seq = message.GetProperty("seq").GetInt64();
        Assert.Equal($"/rooms/{slug}/@{seq}", response.Headers.Location!.ToString());
        Assert.Equal($"deploy **{word}** done, @{bob.DisplayName}", message.GetProperty("text").GetString());
        Assert.Equal(ada.Id, message.GetProperty("author").GetProperty("id").GetString());

        // the same article as a typed message, to everyone in the room
        var article = await room.WaitForMessageAsync(word);
        Assert.Contains($"id=\"m-{seq}\"", article);
        Assert.Contains($"<strong>{word}</strong>", article);
        Assert.Contains($"data-author-id=\"{ada.Id}\"", article);
        // counted as unread, a mention of bob, found by search for members only
        await stream.WaitForAsync(f => f.Contains($"id=\"unread-{roomId}\"") && f.Contains("data-count=\"1\"") && f.Contains("data-mentions=\"1\""));
        var permalink = $"/rooms/{slug}/@{seq}";
        Assert.Contains(permalink, await bob.Http.GetStringAsync($"/search?q={word}"));
        var outsider = await server.SignUpAsync();
        Assert.DoesNotContain(permalink, await outsider.Http.GetStringAsync($"/search?q={word}"));
        // and on the room page, read back from the database
        Assert.Contains($"<strong>{word}</strong>", await bob.Http.GetStringAsync($"/rooms/{slug}"));
    }

    [Fact]
    public async Task The_same_Idempotency_Key_gives_one_message_and_the_same_answer()
    {
        var ada = await server.SignUpAsync();
        var slug = await CreateRoomAsync(ada);
        var other = await CreateRoomAsync(ada);
        var api = ApiClient(server, await TokenAsync(ada));
        var text = Word("once ");

        var first = await PostTextAsync(api, slug, text, "deploy-1234");
        var second = await PostTextAsync(api, slug, text, "deploy-1234");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(1, await CountAsync(text));

        // another key, or none, is another message
        Assert.Equal(HttpStatusCode.Created, (await PostTextAsync(api, slug, text, "deploy-1235")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostTextAsync(api, slug, text)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await PostTextAsync(api, slug, text)).StatusCode);
        Assert.Equal(4, await CountAsync(text));

        // the key is the account's: reused in another room it is refused, not answered with the first room's message
        Assert.Contains("another room", await AssertProblemAsync(await PostTextAsync(api, other, text, "deploy-1234"), (HttpStatusCode)422));
        Assert.Equal(4, await CountAsync(text));
        await AssertProblemAsync(await PostTextAsync(api, slug, text, new string('k', 256)), HttpStatusCode.BadRequest);
        await AssertProblemAsync(await PostTextAsync(api, slug, text, "tab\tinside"), HttpStatusCode.BadRequest);
        Assert.Equal(4, await CountAsync(text));
    }

    [Fact]
    public async Task Bad_bodies_are_problem_details_and_store_nothing()
    {
        var errorsBefore = server.Errors.Entries.Count;
        var ada = await server.SignUpAsync();
        var slug = await CreateRoomAsync(ada);
        var api = ApiClient(server, await TokenAsync(ada));
        var path = $"/api/v1/rooms/{slug}/messages";
        var seq = await PostAsync(api, slug, "the original");

        foreach (var (method, target) in new[] { (HttpMethod.Post, path), (HttpMethod.Patch, $"{path}/{seq}") })
        {
            await AssertProblemAsync(await api.SendAsync(new HttpRequestMessage(method, target) { Content = new StringContent("""{"text":"plain"}""", Encoding.UTF8, "text/plain") }), HttpStatusCode.UnsupportedMediaType);
            await AssertProblemAsync(await SendJsonAsync(api, method, target, """{"text": "unterminated"""), HttpStatusCode.BadRequest);
            await AssertProblemAsync(await SendJsonAsync(api, method, target, """{"body":"wrong field"}"""), HttpStatusCode.BadRequest);
            await AssertProblemAsync(await SendJsonAsync(api, method, target, """{"text":5}"""), HttpStatusCode.BadRequest);
            await AssertProblemAsync(await SendJsonAsync(api, method, target, """["text"]"""), HttpStatusCode.BadRequest);
            Assert.Contains("Type a message", await AssertProblemAsync(await SendJsonAsync(api, method, target, """{"text":"  \n "}"""), HttpStatusCode.BadRequest));
            Assert.Contains("too long", await AssertProblemAsync(await SendJsonAsync(api, method, target, JsonSerializer.Serialize(new { text = new string('x', Message.BodyMaxLength + 1) })), HttpStatusCode.BadRequest));
            await AssertProblemAsync(await SendJsonAsync(api, method, target, JsonSerializer.Serialize(new { text = new string('y', ApiEndpoints.MaxBodyBytes) })), HttpStatusCode.RequestEntityTooLarge);
            var chunked = new HttpRequestMessage(method, target) { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { text = new string('z', ApiEndpoints.MaxBodyBytes) })))) };
            chunked.Content.Headers.ContentType = new("application/json");
            chunked.Headers.TransferEncodingChunked = true;
            await AssertProblemAsync(await api.SendAsync(chunked), HttpStatusCode.RequestEntityTooLarge);
        }
        var stored = await server.WithDbAsync(db => db.Messages.Where(m => m.AuthorId == ada.Id).Select(m => m.Body).ToListAsync());
        Assert.Equal(new[] { "the original" }, stored);
        Assert.Empty(server.Errors.Entries.Skip(errorsBefore));
    }

    [Fact]
    public async Task Posting_faster_than_the_persons_rate_is_429_with_Retry_After_and_the_socket_shares_the_bucket()
    {
        var ada = await server.SignUpAsync();
        var slug = await CreateRoomAsync(ada);
        var api = ApiClient(server, await TokenAsync(ada));
        for (var i = 0; i < ApiServer.Burst; i++)
            await PostAsync(api, slug, $"burst {i}");

        var refused = await PostTextAsync(api, slug, "one too many");
        Assert.Contains("too fast", await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests));
        Assert.Equal(TimeSpan.FromSeconds(ApiServer.SecondsPerMessage), refused.Headers.RetryAfter!.Delta);
        Assert.Equal(0, await CountAsync("one too many"));

        // the API spent the same bucket the person's sockets take from
        await using var socket = await ada.JoinAsync(slug);
        await socket.SendMessageAsync("typed too fast");
        await socket.WaitForAsync(f => f.Contains("composer-status") && f.Contains("too fast"));
        Assert.Equal(0, await CountAsync("typed too fast"));
    }

    [Fact]
    public async Task Edit_and_delete_ones_own_messages()
    {
        var ada = await server.SignUpAsync();
        var bob = await server.SignUpAsync();
        var slug = await CreateRoomAsync(ada);
        var adas = ApiClient(server, await TokenAsync(ada));
        var bobs = ApiClient(server, await TokenAsync(bob));
        var path = $"/api/v1/rooms/{slug}/messages";
        var seq = await PostAsync(adas, slug, "first draft");
        var bobsSeq = await PostAsync(bobs, slug, "bob's words");

        await using var room = await bob.JoinAsync(slug);
        var edited = await SendJsonAsync(adas, HttpMethod.Patch, $"{path}/{seq}", """{"text":"final **text**"}""");
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var message = await JsonAsync(edited);
        Assert.Equal("final **text**", message.GetProperty("text").GetString());
        Assert.NotEqual(JsonValueKind.Null, message.GetProperty("editedAt").ValueKind);
        Assert.Contains("<strong>text</strong>", await room.WaitForAsync(f => f.Contains($"id=\"m-{seq}\"") && f.Contains("hx-swap-oob=\"outerHTML\"")));
        // the same text again changes nothing and answers the message
        var again = await SendJsonAsync(adas, HttpMethod.Patch, $"{path}/{seq}", """{"text":"final **text**"}""");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(seq, (await JsonAsync(again)).GetProperty("seq").GetInt64());

        // not someone else's, not one that does not exist
        Assert.Contains("your own", await AssertProblemAsync(await SendJsonAsync(adas, HttpMethod.Patch, $"{path}/{bobsSeq}", """{"text":"ada's now"}"""), HttpStatusCode.Forbidden));
        await AssertProblemAsync(await SendJsonAsync(adas, HttpMethod.Patch, $"{path}/{bobsSeq + 100}", """{"text":"nothing there"}"""), HttpStatusCode.NotFound);
        await AssertProblemAsync(await bobs.DeleteAsync($"{path}/{seq}"), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await adas.DeleteAsync($"{path}/{bobsSeq + 100}"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await adas.DeleteAsync($"{path}/abc"), HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.NoContent, (await adas.DeleteAsync($"{path}/{seq}")).StatusCode);
        await room.WaitForAsync(f => f.Contains($"id=\"m-{seq}\"") && f.Contains("hx-swap-oob=\"outerHTML\"") && !f.Contains("final"));
        var gone = (await GetJsonAsync(adas, $"{path}?after={seq - 1}&limit=1")).GetProperty("messages")[0];
        Assert.True(gone.GetProperty("deleted").GetBoolean());
        Assert.Equal("", gone.GetProperty("text").GetString());
        await AssertProblemAsync(await adas.DeleteAsync($"{path}/{seq}"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await SendJsonAsync(adas, HttpMethod.Patch, $"{path}/{seq}", """{"text":"revived"}"""), HttpStatusCode.NotFound);

        // the room's creator may delete anyone's message in it, as on the page
        Assert.Equal(HttpStatusCode.NoContent, (await adas.DeleteAsync($"{path}/{bobsSeq}")).StatusCode);
        Assert.Equal(0, await CountAsync("bob's words"));
    }

    [Fact]
    public async Task Unknown_calls_and_methods_are_problem_details_too()
    {
        var errorsBefore = server.Errors.Entries.Count;
        var api = ApiClient(server, await TokenAsync(await server.SignUpAsync()));
        await AssertProblemAsync(await api.GetAsync("/api/v1/nothing-here"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await api.GetAsync("/api/v2/me"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await api.PutAsync("/api/v1/me", new StringContent("{}", Encoding.UTF8, "application/json")), HttpStatusCode.MethodNotAllowed);
        await AssertProblemAsync(await api.GetAsync("/api/v1/rooms/general/messages/1"), HttpStatusCode.MethodNotAllowed);
        Assert.Empty(server.Errors.Entries.Skip(errorsBefore));
    }

    [Fact]
    public async Task A_bot_accounts_token_posts_as_the_bot_with_its_badge()
    {
        var ada = await server.SignUpAsync();
        var slug = await CreateRoomAsync(ada);
        string token;
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var bot = await scope.ServiceProvider.GetRequiredService<BotAccounts>().CreateAsync("Deploy bot");
            (_, token) = await scope.ServiceProvider.GetRequiredService<ApiTokens>().CreateAsync(bot.Id, "bot token", "read post", null);
        }
        var api = ApiClient(server, token);
        Assert.True((await GetJsonAsync(api, "/api/v1/me")).GetProperty("bot").GetBoolean());

        await using var room = await ada.JoinAsync(slug);
        var response = await PostTextAsync(api, slug, "shipped 1.4.2");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True((await JsonAsync(response)).GetProperty("author").GetProperty("bot").GetBoolean());
        Assert.Contains("Deploy bot</span> <span class=\"bot-badge\">bot</span>", await room.WaitForMessageAsync("shipped 1.4.2"));
    }

    public sealed class OnSqlite(ApiServer server) : ApiContractTests(server), IClassFixture<ApiServer>;

    public sealed class OnPostgreSql(PostgreSqlApiServer server) : ApiContractTests(server), IClassFixture<PostgreSqlApiServer>;
}
