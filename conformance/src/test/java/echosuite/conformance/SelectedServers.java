package echosuite.conformance;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;

import java.util.stream.Stream;

/** Feeds {@link ForEachServer} tests the {@linkplain ServerUnderTest#selected() selected} servers. */
final class SelectedServers implements ArgumentsProvider {

    @Override
    public Stream<? extends Arguments> provideArguments(ExtensionContext context) {
        return ServerUnderTest.selected().map(Arguments::of);
    }
}
