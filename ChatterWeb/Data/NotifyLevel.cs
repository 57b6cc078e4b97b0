namespace ChatterWeb.Data;

/// <summary>Per-room notification setting; Default is "mentions" in rooms and "everything" in direct messages.</summary>
public enum NotifyLevel
{
    Default = 0,
    Everything = 1,
    Mentions = 2,
    Nothing = 3,
}
