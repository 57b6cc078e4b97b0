namespace ChatterWeb.Delivery.Redis;

/// <summary>
/// This process among the instances that share Redis: what it publishes carries this id, so its own
/// frames coming back from Redis are dropped instead of shown twice, and its presence entries are its own.
/// </summary>
public sealed class InstanceId
{
    public Guid Value { get; } = Guid.NewGuid();
}
