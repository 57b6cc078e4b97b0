using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using ChatterWeb.Accounts;
using ChatterWeb.Tests.Infrastructure;

namespace ChatterWeb.Tests.Accounts;

/// <summary>
/// Nobody learns which accounts exist (sign-up, sign-in and the throttle answer alike for a known and
/// an unknown address, in similar time) and nobody can lock someone else out (guessing is slowed per
/// source and account; the owner's right password from a browser that signed in before still passes).
/// The review's starting points: 5 wrong passwords locked an account for 5 minutes; a login took ~60 ms
/// for a real account and ~3 ms for an unknown one; sign-up said "already exists".
/// </summary>
public abstract partial class SignInHardeningTests(ChatterServer server)
{
    private static Dictionary<string, string> Login(string email, string password) =>
        new() { ["Input.Email"] = email, ["Input.Password"] = password };

    /// <summary>A browser (no cookies yet) that the app sees at this address, as a trusted loopback proxy says.</summary>
    private HttpClient From(string address)
    {
        var browser = server.NewBrowser();
        browser.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return browser;
    }

    private static string Digitless(string text) => Regex.Replace(text, "[0-9]+", "N");

    private static string Said(string html) => FormError().Match(html).Groups[1].Value.Trim();

    [GeneratedRegex("<div class=\"form-error[^\"]*\"[^>]*>(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex FormError();

    [Fact]
    public async Task Guessing_from_one_place_is_slowed_there_and_an_unknown_address_is_answered_the_same()
    {
        var owner = await server.SignUpAsync();
        var unknown = $"nobody-{Guid.NewGuid():N}@example.test";
        var guesser = From("198.51.100.7");
        var answers = new List<(string, string)>();
        for (var i = 0; i < 5; i++)
        {
            var real = await ChatterServer.PostFormAsync(guesser, "/Account/Login", Login(owner.Email, "wrong password " + i));
            var none = await ChatterServer.PostFormAsync(guesser, "/Account/Login", Login(unknown, "wrong password " + i));
            Assert.Equal(HttpStatusCode.OK, real.StatusCode);
            Assert.Equal(HttpStatusCode.OK, none.StatusCode);
            answers.Add((Said(await real.Content.ReadAsStringAsync()), Said(await none.Content.ReadAsStringAsync())));
        }
        Assert.All(answers, a => Assert.Equal(a.Item1, a.Item2));
        Assert.All(answers, a => Assert.Contains("do not match", a.Item1));

        // the sixth attempt from there waits, even with the right password; an unknown address just the same
        var sixth = await ChatterServer.PostFormAsync(guesser, "/Account/Login", Login(owner.Email, owner.Password));
        var sixthNone = await ChatterServer.PostFormAsync(guesser, "/Account/Login", Login(unknown, owner.Password));
        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, sixthNone.StatusCode);
        Assert.True(sixth.Headers.RetryAfter is not null);
        var said = Said(await sixth.Content.ReadAsStringAsync());
        Assert.Contains("Too many attempts", said);
        Assert.Equal(Digitless(said), Digitless(Said(await sixthNone.Content.ReadAsStringAsync()))); // the waits were read a moment apart
        Assert.InRange(int.Parse(sixth.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture), 1, 15);
        Assert.DoesNotContain("locked", said);

        // the owner, from elsewhere, is not held by it
        var elsewhere = await ChatterServer.PostFormAsync(From("192.0.2.44"), "/Account/Login", Login(owner.Email, owner.Password));
        Assert.Equal(HttpStatusCode.Redirect, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Guessing_from_many_places_holds_new_browsers_but_the_owners_browser_still_signs_in()
    {
        var owner = await server.SignUpAsync(); // owner.Http signed up, so the app knows that browser
        for (var i = 0; i < 25; i++)
        {
            var wrong = await ChatterServer.PostFormAsync(From($"203.0.113.{i + 1}"), "/Account/Login", Login(owner.Email, "guess " + i));
            Assert.True(wrong.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"{wrong.StatusCode}");
        }

        // a browser that never signed in to the account waits, right password or not
        var stranger = await ChatterServer.PostFormAsync(From("203.0.113.200"), "/Account/Login", Login(owner.Email, owner.Password));
        Assert.Equal(HttpStatusCode.TooManyRequests, stranger.StatusCode);

        // the owner's own browser (from the same kind of place: the attackers' addresses do not matter) signs in
        owner.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.1");
        var own = await ChatterServer.PostFormAsync(owner.Http, "/Account/Login", Login(owner.Email, owner.Password));
        Assert.Equal(HttpStatusCode.Redirect, own.StatusCode);
        Assert.Equal("/rooms", own.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_address_take_similar_time()
    {
        var accounts = new List<TestUser>();
        for (var i = 0; i < 4; i++)
            accounts.Add(await server.SignUpAsync());
        var known = new List<double>();
        var unknown = new List<double>();
        var browser = From("198.51.100.99");
        for (var i = 0; i < 16; i++)
        {
            // interleaved, so load on the machine falls on both alike; 4 tries per account stay under the free ones
            known.Add(await TimeLoginAsync(browser, accounts[i % 4].Email));
            unknown.Add(await TimeLoginAsync(browser, $"nobody-{Guid.NewGuid():N}@example.test"));
        }
        var knownMedian = Median(known);
        var unknownMedian = Median(unknown);
        Assert.True(unknownMedian >= knownMedian / 3, $"unknown {unknownMedian:F1} ms against known {knownMedian:F1} ms");
        Assert.True(knownMedian >= unknownMedian / 3, $"known {knownMedian:F1} ms against unknown {unknownMedian:F1} ms");
    }

    [Fact]
    public async Task Sign_up_with_a_taken_address_is_answered_as_a_new_one_without_a_session_and_changes_nothing()
    {
        var owner = await server.SignUpAsync();
        var passwordHash = await server.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Id == owner.Id).PasswordHash));

        var taken = await RegisterAsync(owner.Email);
        var fresh = await RegisterAsync($"fresh-{Guid.NewGuid():N}@example.test");
        Assert.Equal(fresh.Response.StatusCode, taken.Response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, taken.Response.StatusCode);
        Assert.Equal(fresh.Response.Headers.Location, taken.Response.Headers.Location);
        Assert.Equal(await fresh.Response.Content.ReadAsStringAsync(), await taken.Response.Content.ReadAsStringAsync());
        Assert.DoesNotContain("already", await taken.Response.Content.ReadAsStringAsync());

        // only the new account got a session; the taken one is untouched
        Assert.Equal(HttpStatusCode.OK, (await fresh.Browser.GetAsync("/rooms")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await taken.Browser.GetAsync("/rooms")).StatusCode);
        Assert.Equal(passwordHash, await server.WithDbAsync(db => Task.FromResult(db.Users.Single(u => u.Id == owner.Id).PasswordHash)));
        Assert.Equal(HttpStatusCode.Redirect, (await ChatterServer.PostFormAsync(server.NewBrowser(), "/Account/Login", Login(owner.Email, owner.Password))).StatusCode);
    }

    private async Task<(HttpResponseMessage Response, HttpClient Browser)> RegisterAsync(string email)
    {
        var browser = server.NewBrowser();
        var response = await ChatterServer.PostFormAsync(browser, "/Account/Register", new()
        {
            ["Input.Email"] = email,
            ["Input.DisplayName"] = "Someone New",
            ["Input.Password"] = "another long password",
        });
        return (response, browser);
    }

    private static async Task<double> TimeLoginAsync(HttpClient browser, string email)
    {
        var page = await browser.GetStringAsync("/Account/Login");
        var fields = Login(email, "certainly not it");
        fields["__RequestVerificationToken"] = ChatterServer.AntiforgeryToken(page);
        var watch = Stopwatch.StartNew();
        var response = await browser.PostAsync("/Account/Login", new FormUrlEncodedContent(fields));
        var ms = watch.Elapsed.TotalMilliseconds;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return ms;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[sorted.Count / 2] + sorted[(sorted.Count - 1) / 2]) / 2;
    }

    public sealed class OnSqlite(ChatterServer server) : SignInHardeningTests(server), IClassFixture<ChatterServer>;

    public sealed class OnPostgreSql(PostgreSqlChatterServer server) : SignInHardeningTests(server), IClassFixture<PostgreSqlChatterServer>;
}
