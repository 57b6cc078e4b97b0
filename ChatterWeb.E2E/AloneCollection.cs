namespace ChatterWeb.E2E;

/// <summary>
/// Tests that measure the browser's own timing (a message in the page within one frame of its
/// arrival) run here: xUnit runs a collection without parallelization after every other one, so
/// other classes' servers and browsers are not competing for the machine's cores while they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone";
}
