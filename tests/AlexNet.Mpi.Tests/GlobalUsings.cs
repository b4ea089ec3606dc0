global using AlexNet.Mpi.Tests.Support;
global using Xunit;
