using System.Diagnostics;

namespace AlexNet.Mpi;

/// <summary>
/// The one thread that runs this rank's collectives, in the order they were posted. Open MPI makes no progress on a
/// collective unless some thread is inside an MPI call, so gradient reductions run here, blocking, while the
/// training thread carries on with backward; the training thread only waits when it needs a result. Every rank
/// posts the same collectives in the same order, which is what MPI requires of them.
/// </summary>
internal sealed class CommunicationThread : IDisposable
{
    private readonly object _gate = new();
    private readonly Queue<(string Name, Action Work)> _queue = new();
    private readonly Thread _thread;
    private long _posted, _completed, _busyTicks;
    private Exception? _failure;
    private string? _failedOperation;
    private bool _stopping;

    public CommunicationThread(string name)
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Queues <paramref name="work"/> and returns its ticket for <see cref="WaitFor"/>.</summary>
    public long Post(string name, Action work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping, this);
            ThrowIfFailed();
            _queue.Enqueue((name, work));
            Monitor.PulseAll(_gate);
            return ++_posted;
        }
    }

    /// <summary>Waits until the operation of <paramref name="ticket"/> (and all before it) has run; rethrows a failure of any of them.</summary>
    public void WaitFor(long ticket)
    {
        lock (_gate)
        {
            while (_completed < ticket && _failure is null) Monitor.Wait(_gate);
            ThrowIfFailed();
        }
    }

    public void Run(string name, Action work) => WaitFor(Post(name, work));

    /// <summary>Seconds this thread has spent inside operations so far.</summary>
    public double BusySeconds => (double)Interlocked.Read(ref _busyTicks) / Stopwatch.Frequency;

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw new AlexNetException($"MPI communication failed in {_failedOperation}: {_failure.Message}", _failure);
        }
    }

    private void Loop()
    {
        while (true)
        {
            (string Name, Action Work) next;
            lock (_gate)
            {
                while (_queue.Count == 0 && !_stopping) Monitor.Wait(_gate);
                if (_queue.Count == 0) return;
                next = _queue.Dequeue();
            }
            var started = Stopwatch.GetTimestamp();
            Exception? failure = null;
            try
            {
                next.Work();
            }
            catch (Exception e)
            {
                failure = e;
            }
            Interlocked.Add(ref _busyTicks, Stopwatch.GetTimestamp() - started);
            lock (_gate)
            {
                if (failure is not null && _failure is null) (_failure, _failedOperation) = (failure, next.Name);
                _completed++;
                Monitor.PulseAll(_gate);
                // After a failure the order of collectives is broken for good: nothing more is run.
                if (_failure is not null) _queue.Clear();
            }
        }
    }

    /// <summary>Lets queued operations finish and stops the thread.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping) return;
            _stopping = true;
            Monitor.PulseAll(_gate);
        }
        _thread.Join();
    }
}
