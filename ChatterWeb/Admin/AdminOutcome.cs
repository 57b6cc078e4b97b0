namespace ChatterWeb.Admin;

/// <summary>What an administrator's action on an account or a room came to.</summary>
public enum AdminOutcome
{
    Done,

    /// <summary>No such account or room.</summary>
    NotFound,

    /// <summary>Nothing to do: it was that way already.</summary>
    Unchanged,

    /// <summary>Refused: an administrator cannot deactivate themselves or take their own role away (nobody locks the door from outside).</summary>
    NotOnYourself,

    /// <summary>Refused: the input was not acceptable (a blank or too long name).</summary>
    Invalid,
}
