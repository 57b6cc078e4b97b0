namespace ChatterWeb.Bench.Tests;

/// <summary>
/// The command lines of <c>officeday</c>, <c>search</c> and <c>startup</c>, run as the built bench: a
/// bad value is a parse error that names its option, with exit code 1, before anything is started
/// (a value that is not a number too: it used to end in an unhandled exception from the range check).
/// </summary>
public class ScenarioCommandLineTests
{
    [Theory]
    [InlineData("officeday", "--people", "1", "--people must be between 2 and 15000")]
    [InlineData("officeday", "--rooms", "0", "--rooms must be between 1 and 5000")]
    [InlineData("officeday", "--tabs", "0", "--tabs must be between 1 and 10")]
    [InlineData("officeday", "--active", "1.5", "--active must be between 0 and 1")]
    [InlineData("officeday", "--mentions", "-0.1", "--mentions must be between 0 and 1")]
    [InlineData("officeday", "--seed", "-1", "--seed must be between 0 and")]
    [InlineData("officeday", "--rate", "often", "Cannot parse argument 'often' for option '--rate'")]
    [InlineData("officeday", "--people", "6000", "--people x --tabs is at most 15,000 sockets")]
    [InlineData("officeday", "--instances", "2", "officeday runs on one instance")]
    [InlineData("search", "--messages", "10", "--messages must be between 1000 and 20000000")]
    [InlineData("search", "--requests", "0", "--requests must be between 1 and 100000")]
    [InlineData("search", "--rooms", "many", "Cannot parse argument 'many' for option '--rooms'")]
    [InlineData("startup", "--repetitions", "0", "--repetitions must be between 1 and 100")]
    [InlineData("startup", "--url", "http://127.0.0.1:5000", "startup starts and stops its own servers")]
    [InlineData("fanout", "--rooms", "100", "--rooms x --members is at most 15,000 sockets")]
    public async Task A_bad_value_is_a_parse_error_that_names_its_option(string scenario, string option, string value, string error)
    {
        var (exitCode, output) = await BuiltBench.RunAsync(TimeSpan.FromSeconds(60), "was not rejected", scenario, option, value);

        Assert.Equal(1, exitCode);
        Assert.Contains(error, output);
        Assert.DoesNotContain("Unhandled exception", output);
        Assert.DoesNotContain("starting ChatterWeb", output);
    }
}
