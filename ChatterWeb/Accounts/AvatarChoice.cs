namespace ChatterWeb.Accounts;

/// <summary>
/// The avatar field of a bot's or a webhook's form (<c>_AvatarChoice</c>): a list of
/// <see cref="Data.AvatarEmoji"/> with "initials" first. <paramref name="Id"/> is the select's id,
/// <paramref name="Field"/> the form field, <paramref name="Selected"/> the current emoji (null: initials).
/// </summary>
public sealed record AvatarChoice(string Id, string Field, string? Selected, string Label = "Avatar");
