"""An independent, plain-Python reading of diffusers' UniPCMultistepScheduler with use_flow_sigmas,
prediction_type="flow_prediction", predict_x0=True, solver_type="bh2", solver_order=2, lower_order_final=True
(Wan 2.1's scheduler_config.json), written from the formulas in diffusers' scheduling_unipc_multistep.py:
set_timesteps, convert_model_output, multistep_uni_p_bh_update, multistep_uni_c_bh_update and step.

Prints the sigmas, the timesteps and the sample after every step for a fixed toy velocity field; the numbers are
pasted into tests/InferenceServer.Tests/Videos/VideoSchedulerTests.cs. No numpy or torch: float32 rounding of the
sigmas is done with struct, everything else is float64.
"""
import math
import struct


def f32(x):
    return struct.unpack("f", struct.pack("f", x))[0]


def flow_sigmas(steps, shift, n=1000):
    # np.linspace(1, 1/n, steps + 1)[:-1]
    sig = [1 + i * ((1 / n - 1) / steps) for i in range(steps)]
    sig = [shift * s / (1 + (shift - 1) * s) for s in sig]
    if abs(sig[0] - 1) < 1e-6:
        sig[0] -= 1e-6
    timesteps = [int(s * n) for s in sig]  # torch .to(int64) truncates
    return [f32(s) for s in sig] + [0.0], timesteps


def lam(s):
    a = 1 - s
    return (math.log(a) if a > 0 else -math.inf) - (math.log(s) if s > 0 else -math.inf)


def expm1(x):
    return -1.0 if x == -math.inf else math.expm1(x)


def solve2(R, b):
    (a, c), (d, e) = R
    det = a * e - c * d
    return [(b[0] * e - c * b[1]) / det, (a * b[1] - b[0] * d) / det]


def coefficients(sig_t, sig_s0, older, order):
    lt, ls0 = lam(sig_t), lam(sig_s0)
    h = lt - ls0
    rks = [(lam(s) - ls0) / h for s in older[: order - 1]] + [1.0]
    hh = -h
    h_phi_1 = expm1(hh)
    h_phi_k = h_phi_1 / hh - 1
    fact = 1
    B_h = expm1(hh)
    R, b = [], []
    for i in range(1, order + 1):
        R.append([r ** (i - 1) for r in rks])
        b.append(h_phi_k * fact / B_h)
        fact *= i + 1
        h_phi_k = h_phi_k / hh - 1 / fact
    return h_phi_1, B_h, rks, R, b


def run(steps, shift, x, velocity):
    sigmas, timesteps = flow_sigmas(steps, shift)
    outs = [None, None]  # model_outputs, newest last
    last = None
    lower = 0
    this_order = None
    trace = []
    for i in range(steps):
        v = velocity(x, sigmas[i])
        m = [xi - sigmas[i] * vi for xi, vi in zip(x, v)]
        if i > 0 and last is not None:
            # UniC with the previous step's order: redo sigma[i-1] -> sigma[i]
            st, ss = sigmas[i], sigmas[i - 1]
            hp, B, rks, R, b = coefficients(st, ss, [sigmas[i - 2]] if this_order > 1 else [], this_order)
            rhos = [0.5] if this_order == 1 else solve2(R, b)
            at = 1 - st
            m0 = outs[-1]
            new = []
            for j in range(len(x)):
                corr = sum(rhos[k] * (outs[-(k + 2)][j] - m0[j]) / rks[k] for k in range(this_order - 1))
                new.append(st / ss * last[j] - at * hp * m0[j] - at * B * (corr + rhos[-1] * (m[j] - m0[j])))
            x = new
        outs = [outs[1], m]
        order = min(2, steps - i)
        this_order = min(order, lower + 1)
        last = list(x)
        st, ss = sigmas[i + 1], sigmas[i]
        hp, B, rks, R, b = coefficients(st, ss, [sigmas[i - 1]] if this_order > 1 else [], this_order)
        rhos = [0.5] if this_order == 2 else []
        at = 1 - st
        m0 = outs[-1]
        x = [st / ss * x[j] - at * hp * m0[j]
             - at * B * sum(rhos[k] * (outs[-(k + 2)][j] - m0[j]) / rks[k] for k in range(this_order - 1))
             for j in range(len(x))]
        lower = min(lower + 1, 2)
        trace.append(x)
    return sigmas, timesteps, trace


if __name__ == "__main__":
    def toy(x, s):
        return [0.9 * xi - 0.3 * math.sin(3 * xi) + s for xi in x]

    for steps in (1, 2, 5):
        sigmas, timesteps, trace = run(steps, 3.0, [0.5, -1.2, 2.0], toy)
        print(f"steps={steps}")
        print("  sigmas", [repr(s) for s in sigmas])
        print("  timesteps", timesteps)
        for i, t in enumerate(trace):
            print(f"  after step {i}:", ", ".join(f"{v:.9g}" for v in t))
