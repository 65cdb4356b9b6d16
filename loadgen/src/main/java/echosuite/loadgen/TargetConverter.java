package echosuite.loadgen;

import picocli.CommandLine;

import java.net.InetSocketAddress;

/** Reads the {@code HOST:PORT} target ({@code [v6addr]:PORT} for IPv6) into a resolved address. */
final class TargetConverter implements CommandLine.ITypeConverter<InetSocketAddress> {

    @Override
    public InetSocketAddress convert(String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new CommandLine.TypeConversionException("the target '" + value + "' is not HOST:PORT (e.g. 127.0.0.1:9190)");
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(value.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("the port in '" + value + "' is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new CommandLine.TypeConversionException("the port in '" + value + "' must be between 1 and 65535");
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new CommandLine.TypeConversionException("cannot resolve the host '" + host + "'");
        }
        return address;
    }
}
