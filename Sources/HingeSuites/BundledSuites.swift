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
        registry.merge(MLXSuites.registry)
        registry.merge(PaddleSuites.registry)
        return registry
    }
}

extension Convention {
    /// Every suite's conventions on the canonical problems, one list per framework file.
    public static var bundled: [Convention] {
        TextbookSuites.conventions + TorchSuites.conventions + KerasSuites.conventions + TensorFlowSuites.conventions
            + OptaxSuites.conventions + SKLearnSuites.conventions + MLXSuites.conventions + PaddleSuites.conventions
    }
}
