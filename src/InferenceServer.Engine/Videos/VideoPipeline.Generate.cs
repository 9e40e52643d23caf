using InferenceServer.Engine.Images;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace InferenceServer.Engine.Videos;

/// <summary>The denoising run: text → latents → frames.</summary>
public sealed partial class VideoPipeline
{
    private const int SpatialFactor = 8;

    /// <summary>
    /// Makes one video. Same request (seed included) ⇒ same frames. <paramref name="progress"/> hears 0 once the
    /// conditioning is encoded, then each finished denoising step (1-based), with the total; cancellation is checked between steps and also ends a running ONNX call.
    /// </summary>
    public GeneratedVideo Generate(VideoGenerationRequest request, Action<int, int>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (VideoFrameRules.Check(request.Width, request.Height, request.Frames) is { } broken)
        {
            throw new ArgumentException(broken, nameof(request));
        }

        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(() => runOptions.Terminate = true);
        try
        {
            return Run(request, progress, runOptions, cancellationToken);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    private GeneratedVideo Run(VideoGenerationRequest request, Action<int, int>? progress, RunOptions runOptions, CancellationToken cancellationToken)
    {
        int frames = ((request.Frames - 1) / VideoFrameRules.TemporalFactor) + 1;
        int h = request.Height / SpatialFactor;
        int w = request.Width / SpatialFactor;
        int size = LatentChannels * frames * h * w;
        bool guided = request.GuidanceScale > 1f;
        var cond = EncodeText(request.Prompt, runOptions);
        (float[] Hidden, int Length, int Dim)? uncond = guided ? EncodeText(request.NegativePrompt, runOptions) : null;

        var condition = Condition(request, frames, h, w, runOptions);

        // σ ≈ 1 at the first step: the latents are the noise itself.
        var latents = new GaussianNoise(request.Seed).Sample(size);
        var schedule = Scheduler.CreateScheduler(request.Steps);
        var velocity = new float[size];
        long[] shape = [1, LatentChannels, frames, h, w];
        var input = new TransformerInput(latents, shape, condition);
        progress?.Invoke(0, request.Steps);
        for (int step = 0; step < request.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            input.Refresh();
            var c = RunTransformer(input, cond, schedule.Timesteps[step], runOptions);
            if (uncond is not null)
            {
                var u = RunTransformer(input, uncond.Value, schedule.Timesteps[step], runOptions);
                for (int i = 0; i < size; i++)
                {
                    velocity[i] = u[i] + (request.GuidanceScale * (c[i] - u[i]));
                }
            }
            else
            {
                c.CopyTo(velocity, 0);
            }

            Interlocked.Increment(ref _denoisingSteps);
            schedule.Step(velocity, step, latents);
            progress?.Invoke(step + 1, request.Steps);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new GeneratedVideo(request.Width, request.Height, Decode(latents, shape, runOptions), request.Steps);
    }

    /// <summary>diffusers' _get_t5_prompt_embeds: padded to 512 with its mask, then zeros past the prompt's tokens.</summary>
    private (float[] Hidden, int Length, int Dim) EncodeText(string text, RunOptions runOptions)
    {
        var encoded = _tokenizer.Encode(text);
        int used = Math.Min(encoded.Count, MaxTextLength);
        var ids = new long[MaxTextLength];
        var mask = new long[MaxTextLength];
        Array.Fill(ids, _tokenizer.PadId);
        for (int i = 0; i < used; i++)
        {
            ids[i] = encoded[i];
            mask[i] = 1;
        }

        long[] shape = [1, MaxTextLength];
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        var names = _textEncoder.InputMetadata.ContainsKey("attention_mask") ? new[] { "input_ids", "attention_mask" } : ["input_ids"];
        OrtValue[] values = names.Length == 2 ? [idsValue, maskValue] : [idsValue];
        var outputName = _textEncoder.OutputMetadata.ContainsKey("last_hidden_state") ? "last_hidden_state" : _textEncoder.OutputNames[0];
        using var results = _textEncoder.Run(runOptions, names, values, [outputName]);
        var dims = results[0].GetTensorTypeAndShape().Shape;
        int dim = (int)dims[2];
        var hidden = results[0].GetTensorDataAsSpan<float>().ToArray();
        Array.Clear(hidden, used * dim, hidden.Length - (used * dim));
        return (hidden, MaxTextLength, dim);
    }

    private float[] RunTransformer(TransformerInput input, (float[] Hidden, int Length, int Dim) text, double timestep, RunOptions runOptions)
    {
        using var sample = OrtValue.CreateTensorValueFromMemory(input.Sample, input.Shape);
        using var hidden = OrtValue.CreateTensorValueFromMemory(text.Hidden, [1, text.Length, text.Dim]);
        using var time = _timestepType switch
        {
            TensorElementType.Int64 => OrtValue.CreateTensorValueFromMemory(new[] { (long)Math.Round(timestep) }, [1]),
            TensorElementType.Double => OrtValue.CreateTensorValueFromMemory(new[] { timestep }, [1]),
            _ => OrtValue.CreateTensorValueFromMemory(new[] { (float)timestep }, [1]),
        };
        if (input.Condition is { } image)
        {
            using var embeds = OrtValue.CreateTensorValueFromMemory(image.Embeds, image.EmbedsShape);
            using var conditioned = _transformer.Run(runOptions, [_sampleInput, "timestep", "encoder_hidden_states", "encoder_hidden_states_image"],
                [sample, time, hidden, embeds], [_transformer.OutputNames[0]]);
            return conditioned[0].GetTensorDataAsSpan<float>().ToArray();
        }

        using var results = _transformer.Run(runOptions, [_sampleInput, "timestep", "encoder_hidden_states"], [sample, time, hidden], [_transformer.OutputNames[0]]);
        return results[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>latents · std + mean per channel (WanPipeline's denormalisation), the VAE decoder, [−1, 1] → RGB24 frames.</summary>
    private List<byte[]> Decode(float[] latents, long[] shape, RunOptions runOptions)
    {
        int perChannel = latents.Length / LatentChannels;
        var scaled = new float[latents.Length];
        for (int i = 0; i < latents.Length; i++)
        {
            int c = i / perChannel;
            scaled[i] = (latents[i] * _latentsStd[c]) + _latentsMean[c];
        }

        using var input = OrtValue.CreateTensorValueFromMemory(scaled, shape);
        using var results = _vaeDecoder.Run(runOptions, [_vaeDecoder.InputNames[0]], [input], [_vaeDecoder.OutputNames[0]]);
        var dims = results[0].GetTensorTypeAndShape().Shape;
        int frames = (int)dims[2];
        int height = (int)dims[3];
        int width = (int)dims[4];
        var pixels = results[0].GetTensorDataAsSpan<float>();
        int plane = height * width;
        int channelStride = frames * plane;
        var output = new List<byte[]>(frames);
        for (int f = 0; f < frames; f++)
        {
            var frame = new byte[plane * 3];
            for (int p = 0; p < plane; p++)
            {
                for (int c = 0; c < 3; c++)
                {
                    float v = (pixels[(c * channelStride) + (f * plane) + p] / 2f) + 0.5f;
                    frame[(p * 3) + c] = (byte)Math.Round(Math.Clamp(v, 0f, 1f) * 255f);
                }
            }

            output.Add(frame);
        }

        return output;
    }
}
