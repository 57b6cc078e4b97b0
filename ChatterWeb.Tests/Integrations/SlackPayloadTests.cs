using System.Text.Json;
using ChatterWeb.Integrations;
using ChatterWeb.Messages;

namespace ChatterWeb.Tests.Integrations;

/// <summary>Slack-format payloads as the message they become: the Markdown source, and its HTML through the one formatter.</summary>
public class SlackPayloadTests
{
    public static string Fixture(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Integrations", "Fixtures", name));

    private static string Markdown(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return SlackPayload.ToMarkdown(doc.RootElement);
    }

    private static string Html(string json) => Formatting.ToHtml(Markdown(json));

    [Fact]
    public void Plain_text_is_the_message()
    {
        Assert.Equal("Deploy finished", Markdown("""{"text":"Deploy finished"}"""));
        Assert.Equal("<p>Deploy finished</p>", Html("""{"text":"Deploy finished"}"""));
    }

    [Theory]
    [InlineData("*bold*", "<strong>bold</strong>")]
    [InlineData("_italic_", "<em>italic</em>")]
    [InlineData("~gone~", "<del>gone</del>")]
    [InlineData("`x*y*z`", "<code>x*y*z</code>")]
    [InlineData("a * b * c", "a * b * c")]
    [InlineData("5*3*2", "5*3*2")]
    [InlineData("fish &amp; chips &lt;3", "fish &amp; chips &lt;3")]
    public void Mrkdwn_emphasis_and_escapes_mean_what_they_mean_in_Slack(string mrkdwn, string expectedInside)
    {
        var html = Html(JsonSerializer.Serialize(new { text = mrkdwn }));
        Assert.Contains(expectedInside, html);
    }

    [Fact]
    public void Links_become_links_with_their_labels_and_only_safe_targets_survive()
    {
        var html = Html("""{"text":"See <https://ci.example/run/1?a=1&amp;b=(2)|run *one*> and <https://example.org> and <javascript:alert(1)|click> <!here> <@U123>"}""");
        Assert.Contains("href=\"https://ci.example/run/1?a=1&amp;b=%282%29\"", html);
        Assert.Contains(">run *one*</a>", html); // a label is literal, as in Slack
        Assert.Contains("href=\"https://example.org\"", html);
        Assert.DoesNotContain("javascript", html);
        Assert.Contains("click", html);
        Assert.Contains("here", html);
        Assert.Contains("@U123", html);
    }

    [Fact]
    public void Hostile_text_stays_text()
    {
        var html = Html("""{"text":"<script>alert(1)</script> &lt;img src=x onerror=alert(1)&gt; [x](javascript:alert(1))","attachments":[{"title":"<b>t</b>","title_link":"javascript:alert(2)","fields":[{"title":"<i>","value":"&lt;svg onload=alert(3)&gt;"}]}]}""");
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<img", html);
        Assert.DoesNotContain("<svg", html);
        Assert.DoesNotContain("<b>", html);
        Assert.DoesNotContain("javascript:", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html);
    }

    [Fact]
    public void Alertmanager_default_slack_notification()
    {
        var markdown = Markdown(Fixture("alertmanager.json"));
        var html = System.Net.WebUtility.HtmlDecode(Formatting.ToHtml(markdown));
        Assert.StartsWith("> 🔴 **[\\[FIRING:1\\] InstanceDown", markdown);
        Assert.Contains("<blockquote>", html);
        Assert.Contains("<a href=\"http://alertmanager.example:9093/#/alerts?receiver=chatter\"", html);
        Assert.Contains("<strong>Alert:</strong> Instance 10.0.0.7:9100 down - <code>critical</code>", html);
        Assert.Contains("<a href=\"http://prometheus.example:9090/graph?g0.expr=up+%3D%3D+0\" rel=\"noopener nofollow ugc\" target=\"_blank\">Source</a>", html);
        Assert.DoesNotContain("Alertmanager", html); // the username is not shown: the hook's name is
        Assert.DoesNotContain("| http://", html); // the fallback is only for when there is nothing else
    }

    [Fact]
    public void Grafana_slack_contact_point()
    {
        var markdown = Markdown(Fixture("grafana.json"));
        var html = Formatting.ToHtml(markdown);
        Assert.Contains("HighCPU web-01", html);
        Assert.Contains("href=\"http://grafana.example:3000/alerting/list\"", html);
        // Grafana says its text is not mrkdwn (mrkdwn_in holds only pretext): its ** stay as written.
        Assert.Contains("**Firing**", html);
        Assert.Contains("alertname = HighCPU", html);
        Assert.Contains("<em>Grafana v10.2.0</em>", html);
        Assert.DoesNotContain("fav32", html);
    }

    [Fact]
    public void GitHub_Actions_blocks_are_shown_instead_of_the_text()
    {
        var markdown = Markdown(Fixture("github-actions.json"));
        var html = System.Net.WebUtility.HtmlDecode(Formatting.ToHtml(markdown));
        Assert.Contains("<strong>Deploy to production</strong>", html);
        Assert.Contains("Build result: <strong>success</strong>", html);
        Assert.Contains("<a href=\"https://github.com/acme/shop/actions/runs/4242\" rel=\"noopener nofollow ugc\" target=\"_blank\">View run #4242</a>", html);
        Assert.Contains("<strong>Branch:</strong>", html);
        Assert.Contains("<code>9f8e7d6</code>", html);
        Assert.Contains("<em>acme/shop · triggered by octocat</em>", html);
        Assert.DoesNotContain("GitHub Actions build result", html); // the text is the notification fallback when blocks exist
        Assert.DoesNotContain("favicon", html);
    }

    [Fact]
    public void Attachment_fields_footer_pretext_and_fallback()
    {
        var html = System.Net.WebUtility.HtmlDecode(Html("""{"attachments":[{"pretext":"Nightly *build*","color":"good","title":"Build 42","text":"All green","fields":[{"title":"Duration","value":"3 min","short":true},{"title":"Tests","value":1200}],"footer":"ci.example"},{"fallback":"Only a fallback"}]}"""));
        Assert.Contains("Nightly <strong>build</strong>", html);
        Assert.Contains("🟢 <strong>Build 42</strong>", html);
        Assert.Contains("<strong>Duration</strong>: 3 min", html);
        Assert.Contains("<strong>Tests</strong>: 1200", html);
        Assert.Contains("<em>ci.example</em>", html);
        Assert.Contains("Only a fallback", html);
    }

    [Theory]
    [InlineData("""[]""")]
    [InlineData("""{"text":{"a":1}}""")]
    [InlineData("""{"attachments":"nope"}""")]
    [InlineData("""{"attachments":[1]}""")]
    [InlineData("""{"blocks":[{"type":"section","fields":"x"}]}""")]
    public void Known_fields_of_the_wrong_shape_are_refused(string json) =>
        Assert.Throws<FormatException>(() => Markdown(json));

    [Fact]
    public void Nothing_to_show_is_empty()
    {
        Assert.Equal("", Markdown("""{"username":"x","icon_emoji":":ghost:"}"""));
        Assert.Equal("", Markdown("""{"text":"   ","attachments":[],"blocks":[]}"""));
    }

    [Fact]
    public void Too_long_is_cut_with_an_ellipsis_not_refused()
    {
        var cut = IncomingWebhookEndpoint.Shorten(new string('a', 5000));
        Assert.Equal(ChatterWeb.Data.Message.BodyMaxLength, cut.Length);
        Assert.EndsWith("…", cut);
        var emoji = IncomingWebhookEndpoint.Shorten(new string('a', 3998) + "😀😀");
        Assert.False(char.IsHighSurrogate(emoji[^2]));
    }

    [Fact]
    public void Idempotency_keys_map_to_valid_client_message_ids()
    {
        var a = IncomingWebhookEndpoint.ClientMessageIdFor("alert-123/firing");
        Assert.Equal(a, IncomingWebhookEndpoint.ClientMessageIdFor("alert-123/firing"));
        Assert.NotEqual(a, IncomingWebhookEndpoint.ClientMessageIdFor("alert-123/resolved"));
        Assert.True(PostMessage.IsValidClientMessageId(a!));
        Assert.True(PostMessage.IsValidClientMessageId(IncomingWebhookEndpoint.ClientMessageIdFor(null)!));
        Assert.Null(IncomingWebhookEndpoint.ClientMessageIdFor(new string('k', 256)));
        Assert.Null(IncomingWebhookEndpoint.ClientMessageIdFor("tab\there"));
    }
}
