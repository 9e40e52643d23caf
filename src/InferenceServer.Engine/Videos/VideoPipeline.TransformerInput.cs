namespace InferenceServer.Engine.Videos;

/// <summary>The transformer's sample: the latents themselves, or for I2V [latents, mask, condition] on the channel axis.</summary>
public sealed partial class VideoPipeline
{
    private sealed class TransformerInput
    {
        private readonly float[] _latents;

        public TransformerInput(float[] latents, long[] shape, ImageCondition? condition)
        {
            _latents = latents;
            Condition = condition;
            if (condition is null)
            {
                Sample = latents;
                Shape = shape;
                return;
            }

            Sample = new float[latents.Length + condition.Channels.Length];
            condition.Channels.CopyTo(Sample, latents.Length);
            int plane = (int)(shape[2] * shape[3] * shape[4]);
            Shape = [shape[0], condition.Channels.Length / plane + shape[1], shape[2], shape[3], shape[4]];
        }

        public float[] Sample { get; }

        public long[] Shape { get; }

        public ImageCondition? Condition { get; }

        /// <summary>Copies the current latents in front of the fixed condition channels (torch.cat([latents, condition], dim=1)).</summary>
        public void Refresh()
        {
            if (!ReferenceEquals(Sample, _latents))
            {
                _latents.CopyTo(Sample, 0);
            }
        }
    }
}
