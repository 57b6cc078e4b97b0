namespace ChatterWeb.Mail;

/// <summary>How the connection to the SMTP server is protected (<c>Chatter:Mail:Security</c>).</summary>
public enum MailSecurity
{
    /// <summary>Plain SMTP (a relay on the same host or network only).</summary>
    None,

    /// <summary>Plain, then upgraded with STARTTLS, which the server must offer (usually port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (usually port 465).</summary>
    Tls,
}
