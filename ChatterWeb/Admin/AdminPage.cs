using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatterWeb.Admin;

/// <summary>The base of every administrators' page: only administrators get it, everyone else 404 (<see cref="AdminExtensions"/>).</summary>
[Authorize(Policy = AdminExtensions.Policy)]
public abstract class AdminPage : PageModel;
