using System.Net;
using System.Net.Sockets;

namespace ChatterWeb.Testing;

/// <summary>Ports on 127.0.0.1 for the servers the tests and the bench start.</summary>
public static class LoopbackPort
{
    /// <summary>A port nothing listens on right now (the kernel's pick), for a server about to start.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
