global using AlexNet;
global using Xunit;
