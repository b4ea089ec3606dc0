namespace AlexNet.Data.Loading;

/// <summary>
/// The worker threads of one epoch and the bounded window of batches they fill. Workers claim samples in
/// epoch order; a worker may only start a sample of batch b while b &lt; consumed + PrefetchBatches, so at
/// most PrefetchBatches batches exist besides the one the consumer holds. All shared state is guarded by
/// one monitor; the per-sample work (decode, resize, convert) runs outside it and writes only its own slot.
/// </summary>
internal sealed class EpochRun : IDisposable
{
    private readonly object _gate = new();
    private readonly DataLoader _loader;
    private readonly int[] _order;
    private readonly int _epoch;
    private readonly int _batchSize;
    private readonly int _window;
    private readonly int _sampleCount;
    private readonly BatchSlot?[] _slots;
    private readonly Thread[] _threads;
    private readonly CancellationToken _token;
    private CancellationTokenRegistration _registration;
    private int _next;
    private int _consumed;
    private bool _stopping;

    public EpochRun(DataLoader loader, int[] order, int epoch, int startBatch, CancellationToken token)
    {
        (_loader, _order, _epoch, _token) = (loader, order, epoch, token);
        _batchSize = loader.LocalBatchSize;
        _window = loader.Options.PrefetchBatches;
        _slots = new BatchSlot?[loader.BatchCount];
        _sampleCount = Math.Min(order.Length, _slots.Length * _batchSize);
        _threads = new Thread[loader.Options.Workers];
        (_next, _consumed) = (startBatch * _batchSize, startBatch);
    }

    public void Start()
    {
        _registration = _token.Register(Stop);
        for (var i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new Thread(Work) { IsBackground = true, Name = $"AlexNet data loader {i}" };
            _threads[i].Start();
        }
    }

    /// <summary>Waits for batch <paramref name="batch"/> (taken in order) and hands it over, or throws its first failure.</summary>
    public Batch Take(int batch)
    {
        BatchSlot slot;
        lock (_gate)
        {
            while (_slots[batch] is not { Remaining: 0 })
            {
                _token.ThrowIfCancellationRequested();
                Monitor.Wait(_gate);
            }
            _token.ThrowIfCancellationRequested();
            slot = _slots[batch]!;
            _slots[batch] = null;
            _consumed = batch + 1;
            Monitor.PulseAll(_gate);
        }
        if (slot.Failure is { } failure) throw failure;
        return slot.ToBatch();
    }

    public void Dispose()
    {
        Stop();
        _registration.Dispose();
        foreach (var thread in _threads) thread?.Join();
    }

    private void Stop()
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
    }

    private void Work()
    {
        while (true)
        {
            BatchSlot slot;
            int position;
            lock (_gate)
            {
                while (!_stopping && _next < _sampleCount && _next / _batchSize >= _consumed + _window) Monitor.Wait(_gate);
                if (_stopping || _next >= _sampleCount) return;
                position = _next++;
                var batch = position / _batchSize;
                slot = _slots[batch] ??= _loader.CreateSlot(_order, batch);
            }
            _loader.ProcessSample(slot, position % _batchSize, _epoch);
            lock (_gate)
            {
                if (--slot.Remaining == 0) Monitor.PulseAll(_gate);
            }
        }
    }
}
