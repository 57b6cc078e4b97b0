using System.Threading.Channels;
using ChatterWeb.Attachments;
using ChatterWeb.Data;
using ChatterWeb.Metrics;
using ChatterWeb.Rooms;
using Microsoft.EntityFrameworkCore;

namespace ChatterWeb.Messages;

/// <summary>Committed (now, or earlier when <paramref name="Duplicate"/>: a resend of the same ClientMessageId).</summary>
public readonly record struct StoredMessage(MessageView Message, bool Duplicate);
