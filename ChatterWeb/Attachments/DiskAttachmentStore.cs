using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace ChatterWeb.Attachments;

/// <summary>
/// Files under <see cref="AttachmentOptions.StoragePath"/>: <c>{root}/{key[0..2]}/{key}</c>, the key 32
/// random hex digits. Written to a temporary name and renamed, so a reader (on any instance sharing
/// the folder) never sees half a file.
/// </summary>
public sealed class DiskAttachmentStore : IAttachmentStore
{
    private readonly string _root;

    public DiskAttachmentStore(IOptions<AttachmentOptions> options, IWebHostEnvironment env)
    {
        _root = RootOf(options.Value, env);
        Directory.CreateDirectory(_root);
    }

    /// <summary>The configured folder; a relative path is under the content root.</summary>
    public static string RootOf(AttachmentOptions options, IWebHostEnvironment env) =>
        Path.GetFullPath(Path.IsPathRooted(options.StoragePath) ? options.StoragePath : Path.Combine(env.ContentRootPath, options.StoragePath));

    public string Root => _root;

    public async Task<string> SaveAsync(Stream content, CancellationToken ct = default)
    {
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var path = PathOf(key)!;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".part";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, ct);
                await file.FlushAsync(ct);
            }
            File.Move(temp, path);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        return key;
    }

    public Stream? OpenRead(string key)
    {
        if (PathOf(key) is not { } path)
            return null;
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task DeleteAsync(string key, CancellationToken ct = default)
    {
        if (PathOf(key) is { } path)
            File.Delete(path);
        return Task.CompletedTask;
    }

    public IEnumerable<StoredKey> List(DateTimeOffset unfinishedBefore)
    {
        foreach (var folder in Directory.EnumerateDirectories(_root))
        {
            foreach (var path in Directory.EnumerateFiles(folder))
            {
                var name = Path.GetFileName(path);
                var written = File.GetLastWriteTimeUtc(path);
                if (name.EndsWith(".part", StringComparison.Ordinal))
                {
                    if (written < unfinishedBefore.UtcDateTime)
                        TryDelete(path);
                    continue;
                }
                if (PathOf(name) == path)
                    yield return new StoredKey(name, new DateTimeOffset(written, TimeSpan.Zero));
            }
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Another instance sharing the folder got there first, or the writer still holds it.
        }
    }

    /// <summary>Only keys this store made (lowercase hex) map to a path: nothing else can name a file.</summary>
    private string? PathOf(string key) =>
        key.Length == 32 && key.All(char.IsAsciiHexDigitLower) ? Path.Combine(_root, key[..2], key) : null;
}
