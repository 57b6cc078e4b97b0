namespace ChatterWeb.E2E;

/// <summary>The classes that visit every page share one <see cref="SiteTour"/> (and run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class SiteTourCollection : ICollectionFixture<SiteTour>
{
    public const string Name = "site tour";
}
