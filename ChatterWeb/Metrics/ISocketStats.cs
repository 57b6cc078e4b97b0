namespace ChatterWeb.Metrics;

/// <summary>The open sockets' figures, from whoever holds the sockets (the delivery core).</summary>
public interface ISocketStats
{
    /// <summary>Sockets reserved or open on this instance.</summary>
    int OpenSockets { get; }

    /// <summary>Frames waiting in the sockets' send queues: in all, and in the deepest single queue.</summary>
    (long Total, long Deepest) QueuedFrames();
}
