namespace ChatterWeb.Data;

public enum RoomKind
{
    Open = 0,
    Closed = 1,
    Direct = 2,
}
