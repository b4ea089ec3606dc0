using AlexNet.OneDnn.Native;

namespace AlexNet.OneDnn.Primitives;

/// <summary>A CPU engine and the stream primitives run on; one per plan, used by one thread at a time.</summary>
internal sealed unsafe class DnnlContext : IDisposable
{
    public DnnlContext()
    {
        NativeMethods.Check(NativeMethods.dnnl_engine_create(out var engine, DnnlConstants.EngineCpu, 0), "dnnl_engine_create");
        Engine = engine;
        NativeMethods.Check(NativeMethods.dnnl_stream_create(out var stream, Engine, DnnlConstants.StreamDefaultFlags), "dnnl_stream_create");
        Stream = stream;
    }

    public EngineHandle Engine { get; }

    public StreamHandle Stream { get; }

    /// <summary>
    /// Which chosen implementations to refuse: oneDNN's reference code (the default). Tests refuse others to drive
    /// the fallbacks.
    /// </summary>
    public Func<PrimitiveRecord, bool> Refuses { get; init; } = record => DnnlPrimitive.IsReference(record.Implementation);

    /// <summary>While set, every primitive created here is recorded with its implementation (a plan's compile sets it).</summary>
    public List<PrimitiveRecord>? Log { get; set; }

    /// <summary>Blocks until everything submitted has run (the CPU stream mostly runs synchronously already).</summary>
    public void Wait() => NativeMethods.Check(NativeMethods.dnnl_stream_wait(Stream), "dnnl_stream_wait");

    public void Dispose()
    {
        Stream.Dispose();
        Engine.Dispose();
    }
}
