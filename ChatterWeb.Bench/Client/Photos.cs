using SkiaSharp;

namespace ChatterWeb.Bench.Client;

/// <summary>
/// Photographs as a phone sends them, made here: 4032x3024 JPEG at quality 90 with what makes real
/// photos expensive to compress (smooth gradients, shapes with soft edges, sensor noise), about 1.1 MB
/// each. Deterministic per <c>seed</c>.
/// </summary>
public static class Photos
{
    public static byte[] Jpeg(int seed, int width = 4032, int height = 3024)
    {
        var random = new Random(seed);
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            using var sky = new SKPaint();
            sky.Shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(0, height * 0.6f),
                [new SKColor(90, 140, 210), new SKColor(200, 220, 240)], SKShaderTileMode.Clamp);
            canvas.DrawRect(0, 0, width, height, sky);
            using var ground = new SKPaint { Color = new SKColor(70, 110, 50) };
            canvas.DrawRect(0, height * 0.6f, width, height * 0.4f, ground);
            using var shape = new SKPaint { IsAntialias = true };
            using var blur = SKMaskFilter.CreateBlur(SKBlurStyle.Normal, 6);
            shape.MaskFilter = blur;
            for (var i = 0; i < 250; i++)
            {
                shape.Color = new SKColor((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(60, 200));
                canvas.DrawCircle(random.Next(width), random.Next(height), random.Next(10, width / 10), shape);
            }
        }
        // Sensor noise: a few levels up or down on every pixel.
        var pixels = bitmap.GetPixelSpan();
        var noise = new byte[pixels.Length];
        random.NextBytes(noise);
        for (var i = 0; i < pixels.Length; i++)
        {
            if ((i & 3) == 3)
                continue; // alpha
            pixels[i] = (byte)Math.Clamp(pixels[i] + (noise[i] % 9) - 4, 0, 255);
        }
        bitmap.NotifyPixelsChanged();
        using var data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }
}
