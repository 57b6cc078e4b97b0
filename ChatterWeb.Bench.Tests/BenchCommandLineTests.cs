namespace ChatterWeb.Bench.Tests;

/// <summary>
/// The built ChatterWeb.Bench, run as a process with list options (<c>--depths</c>, <c>--clients</c>):
/// a bad value is a parse error naming the option and the value, with exit code 1 (it was an
/// unhandled FormatException), and good lists in either form still parse. Every case fails on a
/// validation before a scenario starts, so nothing is started or written.
/// </summary>
public class BenchCommandLineTests
{
    private static Task<(int ExitCode, string Output)> RunBenchAsync(params string[] args) =>
        BuiltBench.RunAsync(TimeSpan.FromSeconds(60), "was not rejected", args);

    [Theory]
    [InlineData("history", "--depths", "0,x", "--depths: 'x' is not a whole number from 0 to 20000000")]
    [InlineData("history", "--depths", "0|10000", "--depths: '0|10000' is not a whole number")]
    [InlineData("history", "--depths", "-5", "--depths: '-5' is not a whole number from 0 to 20000000")]
    [InlineData("page", "--clients", "1,0", "--clients: '0' is not a whole number from 1 to 512")]
    [InlineData("page", "--clients", ",", "--clients: give at least one value")]
    public async Task A_bad_list_value_is_a_parse_error_that_names_it(string scenario, string option, string value, string error)
    {
        var (exitCode, output) = await RunBenchAsync(scenario, option, value);

        Assert.Equal(1, exitCode);
        Assert.Contains(error, output);
        Assert.DoesNotContain("Unhandled exception", output);
    }

    [Theory]
    [InlineData("history", "--depths", "0", "10000,5", "--sql-budget")]
    [InlineData("page", "--clients", "1, 8", "4", "--duration")]
    public async Task Lists_with_commas_spaces_or_both_parse(string scenario, string option, string first, string second, string outOfRange)
    {
        // An option of the scenario given 0, below its range: the command stops at that check, after the list parsed.
        var (exitCode, output) = await RunBenchAsync(scenario, outOfRange, "0", option, first, second);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{outOfRange} must be between", output);
        Assert.DoesNotContain(option + ":", output);
    }

    [Theory]
    [InlineData("--database", "mysql", "Argument 'mysql' not recognized")]
    [InlineData("--url", "http://127.0.0.1:5999", "--database chooses the database of the servers the bench starts")]
    public async Task The_database_is_sqlite_or_postgresql_for_the_benchs_own_servers_only(string option, string value, string error)
    {
        string[] args = option == "--url" ? ["fanout", "--database", "postgresql", option, value] : ["fanout", option, value];
        var (exitCode, output) = await RunBenchAsync(args);

        Assert.Equal(1, exitCode);
        Assert.Contains(error, output);
    }
}
