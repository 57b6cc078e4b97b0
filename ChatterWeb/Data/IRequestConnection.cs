namespace ChatterWeb.Data;

/// <summary>How a request that makes several reads (the room page) holds its connection; one implementation per provider.</summary>
public interface IRequestConnection
{
    /// <summary>Prepares the scope's context for several reads in a row.</summary>
    Task OpenForReadsAsync(CancellationToken ct);
}
