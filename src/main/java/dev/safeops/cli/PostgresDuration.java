package dev.safeops.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A duration written as PostgreSQL writes its own settings: a number and a unit, {@code 100ms},
 * {@code 2s}, {@code 1.5s}, {@code 1min}, with the units PostgreSQL knows ({@code us}, {@code ms},
 * {@code s}, {@code min}, {@code h}, {@code d}). A number without a unit is refused: PostgreSQL
 * would read it in the setting's own unit, which nobody remembers.
 */
final class PostgresDuration implements ITypeConverter<Duration> {

    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-z]+)");
    private static final Map<String, Duration> UNITS = Map.of("us", Duration.ofNanos(1000), "ms", Duration.ofMillis(1),
            "s", Duration.ofSeconds(1), "min", Duration.ofMinutes(1), "h", Duration.ofHours(1), "d", Duration.ofDays(1));

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        Matcher matcher = DURATION.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches() || !UNITS.containsKey(matcher.group(2))) {
            throw new TypeConversionException("'" + value + "' is not a duration: write a number and one of "
                    + "PostgreSQL's units us, ms, s, min, h, d, such as 100ms, 2s or 1min");
        }
        BigDecimal nanos = new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(UNITS.get(matcher.group(2))
                .toNanos()));
        Duration duration = Duration.ofNanos(nanos.longValue());
        if (duration.compareTo(Duration.ofMillis(1)) < 0) {
            throw new TypeConversionException("'" + value + "' is under a millisecond: PostgreSQL counts these timeouts "
                    + "in milliseconds, and 0 would mean no timeout at all");
        }
        return duration;
    }
}
