namespace InferenceServer.Engine.Runtime;

/// <summary>
/// Every execution-provider profile the server knows. The option keys are the ones each provider's parser in ONNX
/// Runtime's source accepts (<c>onnxruntime/core/providers/&lt;ep&gt;/…_execution_provider_info.cc</c>, OpenVINO's
/// <c>valid_provider_keys</c>, QNN's and CoreML's option parsers); ONNX Runtime checks them again when the provider is
/// appended, so a key the loaded build does not know still stops the start, with ONNX Runtime's own message.
/// </summary>
public static class ProviderProfiles
{
    private const string NeedsNativeLibrary = "pointed at by Runtime:NativeLibraryPath (see deploy/npu.md)";

    public static ProviderProfile Cpu { get; } = new(ExecutionProfileOptions.Cpu, ProviderProfile.CpuProvider, string.Empty, [], null);

    public static ProviderProfile Cuda { get; } = new(ExecutionProfileOptions.Cuda, "CUDAExecutionProvider",
        "the CUDA build: publish with -p:OnnxRuntimeFlavor=Cuda (package Microsoft.ML.OnnxRuntime.Gpu.Linux 1.31.0) or use deploy/docker/Dockerfile.cuda",
        ["device_id", "gpu_mem_limit", "arena_extend_strategy", "cudnn_conv_algo_search", "do_copy_in_default_stream", "cudnn_conv_use_max_workspace",
            "cudnn_conv1d_pad_to_nc1d", "enable_cuda_graph", "enable_skip_layer_norm_strict_mode", "prefer_nhwc", "use_ep_level_unified_stream",
            "use_tf32", "sdpa_kernel", "fuse_conv_bias", "tunable_op_enable", "tunable_op_tuning_enable", "tunable_op_max_tuning_duration_ms"],
        "device_id");

    public static ProviderProfile DirectMl { get; } = new(ExecutionProfileOptions.DirectMl, "DmlExecutionProvider",
        "a Windows build with the package Microsoft.ML.OnnxRuntime.DirectML (not restorable on Linux)",
        ["device_id", "performance_preference", "device_filter", "disable_metacommands", "enable_graph_capture", "enable_graph_serialization"],
        "device_id");

    public static ProviderProfile Cann { get; } = new("cann", "CANNExecutionProvider",
        $"ONNX Runtime built with --use_cann --build_shared_lib (CANN toolkit on the machine), {NeedsNativeLibrary}",
        ["device_id", "npu_mem_limit", "arena_extend_strategy", "enable_cann_graph", "enable_cann_subgraph", "dump_graphs", "dump_om_model",
            "precision_mode", "precision_mode_v2", "op_select_impl_mode", "optypelist_for_implmode", "input_format", "dynamic_batch_size",
            "dynamic_image_size", "dynamic_dims"],
        "device_id");

    public static ProviderProfile OpenVino { get; } = new("openvino", "OpenVINOExecutionProvider",
        $"ONNX Runtime built with --use_openvino --build_shared_lib against the OpenVINO toolkit, {NeedsNativeLibrary}; on Windows the package Intel.ML.OnnxRuntime.OpenVino",
        ["device_type", "device_id", "device_luid", "precision", "num_of_threads", "num_streams", "cache_dir", "load_config", "context",
            "model_priority", "enable_opencl_throttling", "enable_qdq_optimizer", "enable_causallm", "disable_dynamic_shapes", "reshape_input", "layout"],
        null);

    public static ProviderProfile Qnn { get; } = new("qnn", "QNNExecutionProvider",
        $"ONNX Runtime built with --use_qnn --qnn_home <QAIRT SDK> --build_shared_lib, {NeedsNativeLibrary}; on Windows on Arm the package Microsoft.ML.OnnxRuntime.QNN",
        ["backend_type", "backend_path", "profiling_level", "profiling_file_path", "rpc_control_latency", "vtcm_mb", "htp_performance_mode",
            "qnn_saver_path", "qnn_context_priority", "htp_graph_finalization_optimization_mode", "soc_model", "htp_arch", "device_id",
            "enable_htp_fp16_precision", "offload_graph_io_quantization", "enable_htp_spill_fill_buffer", "enable_htp_shared_memory_allocator",
            "enable_htp_weight_sharing", "dump_json_qnn_graph", "json_qnn_graph_dir", "op_packages", "skip_qnn_version_check", "extended_udma"],
        "device_id");

    public static ProviderProfile TensorRt { get; } = new("tensorrt", "TensorrtExecutionProvider",
        "the CUDA build (-p:OnnxRuntimeFlavor=Cuda, package Microsoft.ML.OnnxRuntime.Gpu.Linux 1.31.0, which carries TensorRT's provider) plus TensorRT's own libraries (libnvinfer) on the machine",
        ["device_id", "trt_max_partition_iterations", "trt_min_subgraph_size", "trt_max_workspace_size", "trt_fp16_enable", "trt_bf16_enable",
            "trt_int8_enable", "trt_int8_calibration_table_name", "trt_int8_use_native_calibration_table", "trt_dla_enable", "trt_dla_core",
            "trt_dump_subgraphs", "trt_engine_cache_enable", "trt_engine_cache_path", "trt_engine_cache_prefix", "trt_weight_stripped_engine_enable",
            "trt_onnx_model_folder_path", "trt_engine_decryption_enable", "trt_engine_decryption_lib_path", "trt_force_sequential_engine_build",
            "trt_context_memory_sharing_enable", "trt_layer_norm_fp32_fallback", "trt_timing_cache_enable", "trt_timing_cache_path",
            "trt_force_timing_cache", "trt_detailed_build_log", "trt_build_heuristics_enable", "trt_sparsity_enable", "trt_builder_optimization_level",
            "trt_auxiliary_streams", "trt_tactic_sources", "trt_extra_plugin_lib_paths", "trt_profile_min_shapes", "trt_profile_max_shapes",
            "trt_profile_opt_shapes", "trt_cuda_graph_enable", "trt_dump_ep_context_model", "trt_ep_context_file_path", "trt_ep_context_embed_mode",
            "trt_engine_hw_compatible", "trt_op_types_to_exclude", "trt_preview_features"],
        "device_id");

    public static ProviderProfile Rocm { get; } = new("rocm", "ROCMExecutionProvider",
        $"an ONNX Runtime built with --use_rocm, {NeedsNativeLibrary}; ONNX Runtime 1.23 and later no longer have the ROCm provider, so on AMD GPUs use Runtime:Profile=migraphx",
        ["device_id", "gpu_mem_limit", "arena_extend_strategy", "do_copy_in_default_stream", "miopen_conv_exhaustive_search",
            "miopen_conv_use_max_workspace", "enable_hip_graph", "tunable_op_enable", "tunable_op_tuning_enable", "tunable_op_max_tuning_duration_ms"],
        "device_id");

    public static ProviderProfile MiGraphX { get; } = new("migraphx", "MIGraphXExecutionProvider",
        $"ONNX Runtime built with --use_migraphx --build_shared_lib on ROCm (or AMD's onnxruntime-migraphx build), {NeedsNativeLibrary}",
        ["device_id", "migraphx_fp16_enable", "migraphx_bf16_enable", "migraphx_fp8_enable", "migraphx_int8_enable",
            "migraphx_int8_calibration_table_name", "migraphx_int8_use_native_calibration_table", "migraphx_exhaustive_tune",
            "migraphx_model_cache_dir", "migraphx_save_compiled_model", "migraphx_save_model_path", "migraphx_load_compiled_model",
            "migraphx_load_model_path", "migraphx_mem_limit", "migraphx_arena_extend_strategy"],
        "device_id");

    public static ProviderProfile CoreMl { get; } = new("coreml", "CoreMLExecutionProvider",
        "a macOS build: the package Microsoft.ML.OnnxRuntime carries CoreML in its osx-arm64 and osx-x64 native libraries",
        ["ModelFormat", "MLComputeUnits", "RequireStaticInputShapes", "EnableOnSubgraphs", "SpecializationStrategy", "ProfileComputePlan",
            "AllowLowPrecisionAccumulationOnGPU", "ModelCacheDirectory"],
        null);

    public static IReadOnlyList<ProviderProfile> All { get; } = [Cpu, Cuda, DirectMl, Cann, OpenVino, Qnn, TensorRt, Rocm, MiGraphX, CoreMl];

    /// <summary>The profile of that name (any case), or null.</summary>
    public static ProviderProfile? Find(string? name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
}
