global using AlexNet.Mpi.Tests.Support;
global using Xunit;

// Every MPI job here oversubscribes the two cores already; jobs side by side would only make timings meaningless.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
