using ChatterWeb;

var builder = WebApplication.CreateBuilder(args);
builder.AddChatterWeb();

var app = builder.Build();
app.MapChatterWeb();
app.Run();

public partial class Program;
