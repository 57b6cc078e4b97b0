using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ChatterWeb.Bots;
using ChatterWeb.Data;
using ChatterWeb.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Tests.Bots;

/// <summary>
/// Outgoing webhooks against real HTTP receivers on loopback: the signed call and the reply posted as
/// the bot, what calls a bot and what does not, the poster never waiting, the timeouts, retries and
/// circuit breaker with their log lines, and the allow-list (a host not on it is never called, not even
/// through a redirect).
/// </summary>
public abstract class OutgoingWebhookTests(BotServer server)
{
    private const string Secret = "test-secret-0123456789-abcdef";

    /// <summary>The log line of <paramref name="botId"/> for message <paramref name="seq"/>, once it is written.</summary>
    private async Task<BotDelivery> LogLineAsync(long botId, long seq, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var line = await server.WithDbAsync(db => db.BotDeliveries.AsNoTracking().SingleOrDefaultAsync(d => d.BotId == botId && d.Seq == seq));
            if (line is not null)
                return line;
            Assert.True(DateTime.UtcNow < deadline, $"no log line for bot {botId}, message {seq}");
            await Task.Delay(50);
        }
    }

    private static async Task<long> PostAsync(TestSocket socket, string text)
    {
        await socket.SendMessageAsync(text);
        return BotPages.SeqOf(await socket.WaitForMessageAsync(text));
    }

    private static bool SignatureIsValid(ReceivedCall call, string secret)
    {
        var timestamp = call.Header("X-Chatter-Timestamp");
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(timestamp + ".").Concat(call.Body).ToArray()));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(call.Header("X-Chatter-Signature")));
    }

    [Fact]
    public async Task A_mention_is_posted_signed_and_the_reply_appears_live_as_the_bot()
    {
        await using var receiver = await Receiver.StartAsync((call, http) =>
        {
            if (!SignatureIsValid(call, Secret))
            {
                http.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return Task.CompletedTask;
            }
            var text = JsonDocument.Parse(call.Body).RootElement.GetProperty("text").GetString();
            return Receiver.Reply(http, $"pong to **{text}**");
        });
        var person = await server.SignUpAsync("Pat Poster");
        var slug = await BotPages.CreateRoomAsync(person, membersOnly: true);
        var (botId, _) = await BotPages.CreateBotAsync(server, server.Admin, "Pingbot", receiver.BaseUri + "hook", Secret, "", slug);

        await using var socket = await person.JoinAsync(slug);
        var seq = await PostAsync(socket, "hello @Pingbot are you there");
        var reply = await socket.WaitForMessageAsync("pong to");
        Assert.Contains("<span class=\"author\" hx-disable>Pingbot</span> <span class=\"bot-badge\">bot</span>", reply);
        Assert.Contains("<strong>hello @Pingbot are you there</strong>", reply);

        var call = Assert.Single(receiver.Calls);
        Assert.True(SignatureIsValid(call, Secret));
        Assert.False(SignatureIsValid(call, Secret + "x"));
        Assert.InRange(long.Parse(call.Header("X-Chatter-Timestamp")), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds());
        Assert.StartsWith("application/json", call.Header("Content-Type"));
        Assert.Equal("/hook", call.Path);
        var payload = JsonDocument.Parse(call.Body).RootElement;
        Assert.Equal("mention", payload.GetProperty("type").GetString());
        Assert.Equal(slug, payload.GetProperty("room").GetProperty("slug").GetString());
        Assert.Equal(seq, payload.GetProperty("seq").GetInt64());
        Assert.Equal("Pat Poster", payload.GetProperty("author").GetProperty("name").GetString());
        Assert.Equal(person.Id, payload.GetProperty("author").GetProperty("id").GetString());
        Assert.Equal("hello @Pingbot are you there", payload.GetProperty("text").GetString());
        Assert.Equal($"{BotServer.PublicUrl}/rooms/{slug}/@{seq}", payload.GetProperty("permalink").GetString());

        var line = await LogLineAsync(botId, seq);
        Assert.Equal(BotDeliveryOutcome.Replied, line.Outcome);
        Assert.Equal(200, line.StatusCode);
        Assert.Equal(1, line.Attempts);
        Assert.Equal("mention", line.Trigger);
        Assert.Equal(BotPages.SeqOf(reply), line.ReplySeq);
        // the owner reads it on the bot's page
        var page = await server.Admin.Http.GetStringAsync($"/admin/bots/{botId}");
        Assert.Contains($"id=\"delivery-{line.Id}\" data-outcome=\"Replied\"", page);
        Assert.True(server.Errors.Entries.Count == 0, string.Join("\n", server.Errors.Entries));
    }

    [Fact]
    public async Task Commands_call_their_bot_and_nothing_else_does()
    {
        // the reply starts with one of the bot's own commands: were bots heard, it would call itself forever
        await using var receiver = await Receiver.StartAsync((call, http) => Receiver.Reply(http, "/status answered " + JsonDocument.Parse(call.Body).RootElement.GetProperty("command").GetString()));
        await using var other = await Receiver.StartAsync((_, http) => Receiver.Reply(http, "the other bot spoke"));
        var person = await server.SignUpAsync();
        var slug = await BotPages.CreateRoomAsync(person);
        var elsewhere = await BotPages.CreateRoomAsync(person);
        await BotPages.CreateBotAsync(server, server.Admin, "Deployer", receiver.BaseUri + "deploy", Secret, "/deploy, status", slug);
        await BotPages.CreateBotAsync(server, server.Admin, "Elsewhere", other.BaseUri.ToString(), Secret, "deploy", elsewhere);

        await using var socket = await person.JoinAsync(slug);
        // none of these calls a bot: no command at the start, an unknown one, a longer word, the bot of another room
        await PostAsync(socket, "please /deploy later");
        await PostAsync(socket, "/unknown thing");
        await PostAsync(socket, "/deployed yesterday");
        await PostAsync(socket, "@Elsewhere are you here");
        // the barrier: this one does call (the queue is read in order), and it is the receiver's first call
        var seq = await PostAsync(socket, "/deploy prod");
        await socket.WaitForMessageAsync("/status answered deploy");
        var call = Assert.Single(receiver.Calls);
        Assert.Equal("command", JsonDocument.Parse(call.Body).RootElement.GetProperty("type").GetString());
        Assert.Equal("deploy", JsonDocument.Parse(call.Body).RootElement.GetProperty("command").GetString());
        Assert.Equal(seq, JsonDocument.Parse(call.Body).RootElement.GetProperty("seq").GetInt64());

        // a person's command (any case) calls it again; the bot's own "/status …" reply, queued before it, did not
        await PostAsync(socket, "/STATUS");
        await socket.WaitForMessageAsync("/status answered status");
        Assert.Equal(2, receiver.Count);
        Assert.Equal(0, other.Count);
    }

    [Fact]
    public async Task The_poster_never_waits_for_a_bot()
    {
        var release = new TaskCompletionSource();
        await using var receiver = await Receiver.StartAsync(async (_, http) =>
        {
            await release.Task.WaitAsync(http.RequestAborted);
            await Receiver.Reply(http, "late but here");
        });
        var person = await server.SignUpAsync();
        var slug = await BotPages.CreateRoomAsync(person);
        await BotPages.CreateBotAsync(server, server.Admin, "Slowpoke", receiver.BaseUri.ToString(), Secret, "slow", slug);
        await using var socket = await person.JoinAsync(slug);

        await PostAsync(socket, "/slow please");
        await receiver.WaitForCountAsync(1);
        // the bot holds its call; the poster's next message is stored, shown and acknowledged meanwhile
        // (a listener that waited for the call would hold the writer, and nothing more would be stored)
        var clientMessageId = Guid.NewGuid().ToString();
        await socket.SendMessageAsync("still talking", clientMessageId);
        await socket.WaitForMessageAsync("still talking");
        await socket.WaitForAsync(f => f.Contains($"data-ack=\"{clientMessageId}\""));
        Assert.False(release.Task.IsCompleted);
        release.SetResult();
        await socket.WaitForMessageAsync("late but here");
    }

    [Fact]
    public async Task A_bot_that_times_out_is_retried_then_its_breaker_opens_and_it_recovers()
    {
        var healthy = false;
        await using var receiver = await Receiver.StartAsync((_, http) => Volatile.Read(ref healthy) ? Receiver.Reply(http, "back again") : Receiver.Hang(http));
        var person = await server.SignUpAsync();
        var slug = await BotPages.CreateRoomAsync(person);
        var (botId, _) = await BotPages.CreateBotAsync(server, server.Admin, "Flaky", receiver.BaseUri.ToString(), Secret, "flaky", slug);
        await using var socket = await person.JoinAsync(slug);

        // every attempt times out: tried three times, then the call fails; those failures open the host's breaker
        var first = await PostAsync(socket, "/flaky one");
        var failed = await LogLineAsync(botId, first);
        Assert.Equal(BotDeliveryOutcome.Failed, failed.Outcome);
        Assert.Equal(BotServer.Attempts, failed.Attempts);
        // (counted where they are sent: on a loaded machine an attempt can time out before the receiver reads it)
        Assert.InRange(receiver.Count, 1, BotServer.Attempts);
        Assert.Null(failed.StatusCode);
        Assert.Contains("No answer within 1 s", failed.Detail);
        Assert.True(failed.DurationMs >= BotServer.Attempts * BotServer.AttemptTimeout.TotalMilliseconds, $"{failed.DurationMs} ms");
        // every attempt was the same delivery, signed alike
        Assert.Single(receiver.Calls.Select(c => c.Header("X-Chatter-Delivery")).Distinct());

        // open: the next call is not made at all (no attempt was counted, and the receiver never saw its delivery id)
        var second = await PostAsync(socket, "/flaky two");
        var paused = await LogLineAsync(botId, second);
        Assert.Equal(BotDeliveryOutcome.CircuitOpen, paused.Outcome);
        Assert.Equal(0, paused.Attempts);
        Assert.DoesNotContain(receiver.Calls, c => c.Header("X-Chatter-Delivery").EndsWith($"-{second}", StringComparison.Ordinal));

        // the bot is healthy again: once the break is over a call goes through, and its reply is posted
        Volatile.Write(ref healthy, true);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        BotDelivery line;
        var n = 3;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "the bot never recovered");
            await Task.Delay(BotServer.BreakDuration / 4);
            line = await LogLineAsync(botId, await PostAsync(socket, $"/flaky {n++}"));
        }
        while (line.Outcome == BotDeliveryOutcome.CircuitOpen);
        Assert.Equal(BotDeliveryOutcome.Replied, line.Outcome);
        await socket.WaitForMessageAsync("back again");

        // all of it is in the log its owner reads, newest first
        var page = await server.Admin.Http.GetStringAsync($"/admin/bots/{botId}");
        Assert.Contains("data-outcome=\"Failed\"", page);
        Assert.Contains("data-outcome=\"CircuitOpen\"", page);
        Assert.Contains("paused (breaker open)", page);
        Assert.True(page.IndexOf("data-outcome=\"Replied\"", StringComparison.Ordinal) < page.IndexOf("data-outcome=\"Failed\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_error_status_is_retried_and_logged_and_a_reply_that_is_not_text_posts_nothing()
    {
        var calls = 0;
        await using var receiver = await Receiver.StartAsync(async (_, http) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync("""{"not_text": true}""");
        });
        var person = await server.SignUpAsync();
        var slug = await BotPages.CreateRoomAsync(person);
        var (botId, _) = await BotPages.CreateBotAsync(server, server.Admin, "Grumpy", receiver.BaseUri.ToString(), Secret, "grumpy", slug);
        await using var socket = await person.JoinAsync(slug);

        var line = await LogLineAsync(botId, await PostAsync(socket, "/grumpy"));
        Assert.Equal(BotDeliveryOutcome.Delivered, line.Outcome);
        Assert.Equal(2, line.Attempts);
        Assert.Equal(200, line.StatusCode);
        Assert.Null(line.ReplySeq);
        Assert.Contains("not {\"text\"", line.Detail);
    }

    [Fact]
    public async Task A_host_not_on_the_allow_list_is_never_called_not_even_through_a_redirect()
    {
        await using var forbidden = await Receiver.StartAsync((_, http) => Receiver.Reply(http, "this must never be posted"));
        // the same machine by another name: "localhost" is not on the list, only 127.0.0.1 is
        var forbiddenUrl = $"http://localhost:{forbidden.Port}/hook";
        await using var redirector = await Receiver.StartAsync((_, http) =>
        {
            http.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            http.Response.Headers.Location = forbiddenUrl;
            return Task.CompletedTask;
        });
        await using var allowed = await Receiver.StartAsync((_, http) => Receiver.Reply(http, "allowed bot answered"));
        var person = await server.SignUpAsync();
        var slug = await BotPages.CreateRoomAsync(person);

        // the page refuses the URL
        var refused = await BotPages.PostCreateAsync(server, server.Admin, "Sneaky", forbiddenUrl, Secret, "sneak", slug);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("localhost:" + forbidden.Port + " is not an allowed host", await refused.Content.ReadAsStringAsync());
        Assert.False(await server.WithDbAsync(db => db.Users.AnyAsync(u => u.DisplayName == "Sneaky")));

        // a bot made while the host was allowed (here: its URL changed in the database) is not called either
        var (sneakyId, _) = await BotPages.CreateBotAsync(server, server.Admin, "Sneaky", allowed.BaseUri.ToString(), Secret, "sneak", slug);
        await server.WithDbAsync(db => db.Bots.Where(b => b.Id == sneakyId).ExecuteUpdateAsync(b => b.SetProperty(x => x.Url, forbiddenUrl)));
        var (redirectId, _) = await BotPages.CreateBotAsync(server, server.Admin, "Redirecting", redirector.BaseUri.ToString(), Secret, "sneak", slug);
        var (allowedId, _) = await BotPages.CreateBotAsync(server, server.Admin, "Allowed", allowed.BaseUri.ToString(), Secret, "sneak", slug);

        await using var socket = await person.JoinAsync(slug);
        var seq = await PostAsync(socket, "/sneak in");
        await socket.WaitForMessageAsync("allowed bot answered");

        var notAllowed = await LogLineAsync(sneakyId, seq);
        Assert.Equal(BotDeliveryOutcome.HostNotAllowed, notAllowed.Outcome);
        Assert.Equal(0, notAllowed.Attempts);
        var redirected = await LogLineAsync(redirectId, seq);
        Assert.Equal(BotDeliveryOutcome.Failed, redirected.Outcome);
        Assert.Equal(307, redirected.StatusCode);
        Assert.Equal(1, redirected.Attempts);
        Assert.Contains("redirects are not followed", redirected.Detail);
        Assert.Equal(BotDeliveryOutcome.Replied, (await LogLineAsync(allowedId, seq)).Outcome);
        // both log lines are written after their decision: had anything called the forbidden host, it would have counted by now
        Assert.Equal(0, forbidden.Count);
        Assert.Equal(1, redirector.Count);
        Assert.DoesNotContain("this must never be posted", await person.Http.GetStringAsync($"/rooms/{slug}"));
    }

    public sealed class OnSqlite(BotServer server) : OutgoingWebhookTests(server), IClassFixture<BotServer>;

    public sealed class OnPostgreSql(PostgreSqlBotServer server) : OutgoingWebhookTests(server), IClassFixture<PostgreSqlBotServer>;
}
