namespace ChatterWeb.Mail;

/// <summary>One mail to one address, in plain text and in HTML (both say the same).</summary>
public sealed record OutgoingMail(string To, string Subject, string Text, string Html);
