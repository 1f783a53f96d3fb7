import HingeConformance

extension SuiteRegistry {
    /// Every suite this package implements, one registration per framework file.
    public static var bundled: SuiteRegistry {
        var registry = SuiteRegistry()
        registry.merge(TextbookSuites.registry)
        registry.merge(TorchSuites.registry)
        registry.merge(KerasSuites.registry)
        registry.merge(TensorFlowSuites.registry)
        registry.merge(OptaxSuites.registry)
        registry.merge(SKLearnSuites.registry)
        registry.merge(PaddleSuites.registry)
        return registry
    }
}
