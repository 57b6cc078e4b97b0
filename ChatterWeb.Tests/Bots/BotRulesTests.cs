using System.Text;
using ChatterWeb.Bots;
using ChatterWeb.Messages;

namespace ChatterWeb.Tests.Bots;

/// <summary>The small rules of bots: commands, the allow-list, the signature, what a message can call.</summary>
public class BotRulesTests
{
    [Theory]
    [InlineData("/deploy, status", "deploy status")]
    [InlineData("  Deploy   /STATUS deploy ", "deploy status")]
    [InlineData("", "")]
    [InlineData("run_tests ci-2", "run_tests ci-2")]
    public void Commands_are_stored_as_lower_case_words_without_slashes(string typed, string stored) =>
        Assert.Equal(stored, BotCommands.Normalize(typed));

    [Theory]
    [InlineData("de ploy!")]
    [InlineData("-deploy")]
    [InlineData("/")]
    [InlineData("a b c d e f g h i j k")]
    [InlineData("abcdefghijabcdefghijabcdefghijabc")]
    public void Anything_else_is_not_a_command_list(string typed) => Assert.Null(BotCommands.Normalize(typed));

    [Theory]
    [InlineData("/deploy", "deploy")]
    [InlineData("/deploy prod now", "deploy")]
    [InlineData("/DEPLOY\nprod", "deploy")]
    [InlineData("/status", "status")]
    [InlineData("/deployed", null)]
    [InlineData(" /deploy", null)]
    [InlineData("please /deploy", null)]
    [InlineData("/", null)]
    public void A_message_calls_a_command_only_from_its_start(string body, string? command) =>
        Assert.Equal(command, BotCommands.Match("deploy status", body));

    [Theory]
    [InlineData("https://bots.example.com/hook", true)]
    [InlineData("http://BOTS.example.com:8080/hook", true)]
    [InlineData("https://ci.example.org:8443/x", true)]
    [InlineData("https://ci.example.org/x", false)] // 443, not the port named
    [InlineData("https://a.b.internal.example.net/x", true)]
    [InlineData("https://internal.example.net/x", true)]
    [InlineData("https://example.net/x", false)] // *. is the subdomains, not the domain
    [InlineData("https://evilexample.net/x", false)]
    [InlineData("https://bots.example.com.evil.test/x", false)]
    [InlineData("https://user:pw@bots.example.com/x", false)]
    [InlineData("ftp://bots.example.com/x", false)]
    [InlineData("http://127.0.0.1/x", false)]
    [InlineData("http://[::1]:9000/x", true)]
    [InlineData("http://[::1]:9001/x", false)]
    [InlineData("http://[::2]:7/x", true)]
    public void The_allow_list_names_hosts_ports_and_subdomains(string url, bool allowed) =>
        Assert.Equal(allowed, AllowedHosts.Allows(["bots.example.com", "ci.example.org:8443", "*.example.net", "[::1]:9000", " ", "[::2]"], new Uri(url)));

    [Fact]
    public void An_empty_allow_list_allows_nothing() => Assert.False(AllowedHosts.Allows([], new Uri("https://bots.example.com/")));

    [Fact]
    public void The_signature_is_the_hex_HMAC_SHA256_of_timestamp_dot_body()
    {
        // computed independently (Python's hmac module) for this key, timestamp and body
        Assert.Equal("sha256=43c839fd960c4abd9809cc8e28878b74e0a3c33daba202a0eeddd171a0c970de",
            WebhookSignature.Sign("whsec-test-0123456789", 1700000000, Encoding.UTF8.GetBytes("""{"text":"hi"}""")));
    }

    [Fact]
    public void A_new_secret_is_256_random_bits()
    {
        var a = WebhookSignature.NewSecret();
        Assert.Equal(43, a.Length);
        Assert.NotEqual(a, WebhookSignature.NewSecret());
        Assert.NotNull(BotSecrets.Clean(a));
    }

    [Fact]
    public void Only_a_persons_message_that_mentions_someone_or_starts_with_a_slash_is_queued()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.True(BotQueue.MayCallABot(new MessageView(1, "u", "U", "/deploy", now)));
        Assert.True(BotQueue.MayCallABot(new MessageView(1, "u", "U", "hi @Bot", now, Mentions: "bot-id")));
        Assert.False(BotQueue.MayCallABot(new MessageView(1, "u", "U", "hi @Nobody", now)));
        Assert.False(BotQueue.MayCallABot(new MessageView(1, "u", "U", "/deploy", now) { AuthorIsBot = true }));
    }

    [Fact]
    public void A_bot_is_called_by_its_mention_or_its_command()
    {
        var bot = new BotTarget(1, "bot-id", "Bot", "https://bots.example.com/", "", "deploy");
        var now = DateTimeOffset.UtcNow;
        Assert.True(BotDispatcher.Calls(bot, new MessageView(1, "u", "U", "/deploy x", now), out var command));
        Assert.Equal("deploy", command);
        Assert.True(BotDispatcher.Calls(bot, new MessageView(1, "u", "U", "hey @Bot", now, Mentions: "someone bot-id"), out command));
        Assert.Null(command);
        Assert.False(BotDispatcher.Calls(bot, new MessageView(1, "u", "U", "hey @Someone", now, Mentions: "someone"), out _));
        Assert.False(BotDispatcher.Calls(bot, new MessageView(1, "u", "U", "/status", now), out _));
    }
}
