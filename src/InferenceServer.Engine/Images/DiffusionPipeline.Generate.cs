using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceServer.Engine.Images;

/// <summary>The denoising run: text → latents → pixels.</summary>
public sealed partial class DiffusionPipeline
{
    /// <summary>One image after another: each denoising run is already batched (conditional and unconditional).</summary>
    public IReadOnlyList<GeneratedImage> Generate(IReadOnlyList<ImageGenerationRequest> requests, CancellationToken cancellationToken) =>
        [.. requests.Select(r => Generate(r, cancellationToken))];

    /// <summary>
    /// Makes one image. Same request (seed included) ⇒ same pixels. Cancellation is checked between steps and also
    /// ends a running ONNX call.
    /// </summary>
    public GeneratedImage Generate(ImageGenerationRequest request, CancellationToken cancellationToken)
    {
        if (request.Width % 8 != 0 || request.Height % 8 != 0 || request.Width <= 0 || request.Height <= 0)
        {
            throw new ArgumentException($"Width and height must be positive multiples of 8, not {request.Width}x{request.Height}.", nameof(request));
        }

        if ((request.InitImage is { } im && (im.Width != request.Width || im.Height != request.Height)) || (request.Mask is not null && request.InitImage is null))
        {
            throw new ArgumentException("The init image must have the requested size, and a mask needs an init image.", nameof(request));
        }

        if (request.InitImage is not null && !SupportsImageInput)
        {
            throw new InvalidOperationException($"{Folder} has no vae_encoder: image input is not supported.");
        }

        int steps = request.Steps ?? 20;
        float guidance = request.GuidanceScale ?? 7.5f;
        bool guided = guidance > 1f;
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        try
        {
            return Run(request, steps, guidance, guided, runOptions, cancellationToken);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    private GeneratedImage Run(ImageGenerationRequest request, int steps, float guidance, bool guided, RunOptions runOptions, CancellationToken cancellationToken)
    {
        var scheduler = DiffusionScheduler.Create(request.Scheduler ?? Scheduler.Kind, Scheduler, steps);
        int h = request.Height / 8;
        int w = request.Width / 8;
        int size = LatentChannels * h * w;
        var (cond, length, dim, tokens) = EncodeText(request.Prompt, runOptions);
        var hidden = cond;
        if (guided)
        {
            var (uncond, _, _, _) = EncodeText(request.NegativePrompt, runOptions);
            hidden = [.. uncond, .. cond];
        }

        var rng = new GaussianNoise(request.Seed);
        var noise = rng.Sample(size);
        float[]? init = request.InitImage is { } image ? EncodeImage(ToPlanar(image, null), request.Height, request.Width, runOptions) : null;
        float[]? mask = request.Mask is { } m ? LatentMask(m, request.Width, w, h) : null;
        float[]? extra = IsInpaintingUnet ? InpaintingChannels(request, mask, h, w, runOptions) : null;

        var latents = new float[size];
        int start = 0;
        if (init is not null && !IsInpaintingUnet)
        {
            int run = Math.Clamp((int)(steps * request.Strength), 1, steps);
            start = steps - run;
            scheduler.AddNoise(init, noise, start, latents);
        }
        else
        {
            float sigma = (float)scheduler.InitNoiseSigma;
            for (int i = 0; i < size; i++)
            {
                latents[i] = noise[i] * sigma;
            }
        }

        var scaled = new float[size];
        var prediction = new float[size];
        var kept = new float[size];
        for (int step = start; step < steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            scheduler.ScaleInput(latents, scaled, step);
            var output = RunUnet(scaled, extra, hidden, guided ? 2 : 1, length, dim, scheduler.Timesteps[step], h, w, runOptions);
            Interlocked.Increment(ref _denoisingSteps);
            for (int i = 0; i < size; i++)
            {
                prediction[i] = guided ? output[i] + (guidance * (output[size + i] - output[i])) : output[i];
            }

            scheduler.Step(prediction, step, latents, rng);
            if (mask is not null && init is not null && !IsInpaintingUnet)
            {
                // Keep the unmasked region on the init image's path: noised to the next level, clean after the last step.
                if (step + 1 < steps)
                {
                    scheduler.AddNoise(init, noise, step + 1, kept);
                }
                else
                {
                    init.CopyTo(kept, 0);
                }

                int plane = h * w;
                for (int i = 0; i < size; i++)
                {
                    float keep = mask[i % plane];
                    latents[i] = (keep * latents[i]) + ((1 - keep) * kept[i]);
                }
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new GeneratedImage(Decode(latents, h, w, runOptions), tokens, steps - start);
    }

    private (float[] Hidden, int Length, int Dim, int Tokens) EncodeText(string text, RunOptions runOptions)
    {
        var ids = _tokenizer.EncodePadded(text, out int tokens);
        long[] shape = [1, ids.Length];
        using var input = _textInputType == TensorElementType.Int64
            ? OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(ids, i => (long)i), shape)
            : OrtValue.CreateTensorValueFromMemory(ids, shape);
        var outputName = _textEncoder.OutputMetadata.ContainsKey("last_hidden_state") ? "last_hidden_state" : _textEncoder.OutputNames[0];
        using var results = _textEncoder.Run(runOptions, [_textEncoder.InputNames[0]], [input], [outputName]);
        var result = results[0];
        var dims = result.GetTensorTypeAndShape().Shape;
        return (result.GetTensorDataAsSpan<float>().ToArray(), (int)dims[1], (int)dims[2], tokens);
    }

    private float[] RunUnet(float[] sample, float[]? extra, float[] hidden, int batch, int length, int dim, double timestep, int h, int w, RunOptions runOptions)
    {
        if (_unetBatch == 1 && batch > 1)
        {
            // A static batch-1 export: run the unconditional and conditional halves one after the other.
            int part = length * dim;
            var first = RunUnet(sample, extra, hidden[..part], 1, length, dim, timestep, h, w, runOptions);
            var second = RunUnet(sample, extra, hidden[part..], 1, length, dim, timestep, h, w, runOptions);
            return [.. first, .. second];
        }

        int plane = h * w;
        int latent = LatentChannels * plane;
        int perImage = UnetInChannels * plane;
        var input = new float[batch * perImage];
        for (int b = 0; b < batch; b++)
        {
            sample.AsSpan(0, latent).CopyTo(input.AsSpan(b * perImage));
            extra?.CopyTo(input.AsSpan((b * perImage) + latent));
        }

        using var sampleValue = OrtValue.CreateTensorValueFromMemory(input, [batch, UnetInChannels, h, w]);
        using var hiddenValue = OrtValue.CreateTensorValueFromMemory(hidden, [batch, length, dim]);
        using var timestepValue = TimestepValue(timestep, batch);
        using var results = _unet.Run(runOptions, [UnetSample, UnetTimestep, UnetHidden], [sampleValue, timestepValue, hiddenValue], [_unet.OutputNames[0]]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private OrtValue TimestepValue(double timestep, int batch)
    {
        long[] shape = _timestepDims.Length == 0 ? [] : [_timestepDims[0] > 0 ? _timestepDims[0] : batch];
        int count = shape.Length == 0 ? 1 : (int)shape[0];
        return _timestepType switch
        {
            TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat((long)Math.Round(timestep), count).ToArray(), shape),
            TensorElementType.Int32 => OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat((int)Math.Round(timestep), count).ToArray(), shape),
            TensorElementType.Double => OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat(timestep, count).ToArray(), shape),
            _ => OrtValue.CreateTensorValueFromMemory(Enumerable.Repeat((float)timestep, count).ToArray(), shape),
        };
    }
}
