namespace AlexNet; internal static class Placeholder {}
