package dev.tsdb.gocompat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * GoMath against results of Go's math package as Prometheus 2.42 on amd64 printed them (input
 * and expected output as raw IEEE bits; all of these differ from java.lang.Math somewhere).
 */
class GoMathTest {
  private static final Map<String, DoubleUnaryOperator> FNS = Map.ofEntries(
      Map.entry("exp", GoMath::exp), Map.entry("log", GoMath::log),
      Map.entry("log10", GoMath::log10), Map.entry("log2", GoMath::log2),
      Map.entry("sin", GoMath::sin), Map.entry("cos", GoMath::cos), Map.entry("tan", GoMath::tan),
      Map.entry("asin", GoMath::asin), Map.entry("acos", GoMath::acos),
      Map.entry("atan", GoMath::atan), Map.entry("sinh", GoMath::sinh),
      Map.entry("cosh", GoMath::cosh), Map.entry("tanh", GoMath::tanh),
      Map.entry("asinh", GoMath::asinh), Map.entry("acosh", GoMath::acosh),
      Map.entry("atanh", GoMath::atanh), Map.entry("pow25", x -> GoMath.pow(2.5, x)),
      Map.entry("powxx", x -> GoMath.pow(x, x)), Map.entry("atan2_3", x -> GoMath.atan2(3, x)));

  private static final Object[][] CASES = {
        new Object[] {"exp", 0x407f7c1111c7555cL, 0x6d5b2a0e718bda65L},
        new Object[] {"exp", 0x3feb8e7c4e4c8c1fL, 0x4002ed4a12ee5419L},
        new Object[] {"exp", 0x3ffa81313e3eab19L, 0x4014f6f03fc28803L},
        new Object[] {"exp", 0x3e42accb68b3b3bcL, 0x3ff000000255996dL},
        new Object[] {"log", 0x418b219c2eb09967L, 0x4031db55d505a2cfL},
        new Object[] {"log", 0x3e3445a3a5299e87L, 0xc0332be54fa32fd9L},
        new Object[] {"log", 0x3fec669674155b1cL, 0xbfbe8bd12deeda28L},
        new Object[] {"log", 0x3fddf043907e58d8L, 0xbfe84fc37da8eb66L},
        new Object[] {"log10", 0x426258bd8dc5bd6eL, 0x4027996604082d7cL},
        new Object[] {"log10", 0x3ffe712b8131cad4L, 0x3fd1e0f06ee1817fL},
        new Object[] {"log10", 0x3fed2e0a555464b4L, 0xbfa483a9431f850dL},
        new Object[] {"log10", 0x3fe70bee21f19decL, 0xbfc23ed9eefb418aL},
        new Object[] {"log2", 0x3fbb24450d9b8042L, 0xc009e686e1a22839L},
        new Object[] {"log2", 0x4037800000000000L, 0x401237e623d2ba02L},
        new Object[] {"log2", 0x4054c00000000000L, 0x4019800a563161c5L},
        new Object[] {"log2", 0x3ffcfe816b8d3ddaL, 0x3feb723374623b22L},
        new Object[] {"sin", 0x4046c00000000000L, 0x3feff474d862f717L},
        new Object[] {"sin", 0xbf21d1a006270f39L, 0xbf21d1a0053b5291L},
        new Object[] {"sin", 0x3fb0d95a96f92968L, 0x3fb0d63d8cc31b91L},
        new Object[] {"sin", 0xc061a6929463af59L, 0xbfc52f78fe5ed891L},
        new Object[] {"cos", 0x3fd1fc59e66ee892L, 0x3feebea2e4afb685L},
        new Object[] {"cos", 0xbf6bffdb7b22c08fL, 0x3feffff3c020bc3eL},
        new Object[] {"cos", 0xc147d0f8c6af5388L, 0x3feed495c3f6bf92L},
        new Object[] {"cos", 0xc048e00000000000L, 0x3febd77d92136651L},
        new Object[] {"tan", 0xbed63912c41c3d35L, 0xbed63912c41d21daL},
        new Object[] {"tan", 0x4017e95a66ee7639L, 0xbfd42b7ddac00d4aL},
        new Object[] {"tan", 0x4040bb6e5600ada5L, 0xbffeea58d9ce2c47L},
        new Object[] {"tan", 0xc031400000000000L, 0xc041617620ef593eL},
        new Object[] {"asin", 0xbfef464f2a48be36L, 0xbff5b8354ab3a8d1L},
        new Object[] {"asin", 0x3fdc1342cebabff6L, 0x3fdd105fa3640490L},
        new Object[] {"asin", 0x3fefb7476548efcaL, 0x3ff6ffce768d0a6dL},
        new Object[] {"asin", 0x3fd80afc59a1ce4aL, 0x3fd8a5cf1c5bd2fcL},
        new Object[] {"acos", 0xbfef71822632a4d2L, 0x4007a3713fcd0a21L},
        new Object[] {"acos", 0x3febaa05466cba54L, 0x3fe0da2cc6e91a5aL},
        new Object[] {"acos", 0xbd790ee541aba6e5L, 0x3ff921fb54444627L},
        new Object[] {"acos", 0x3fe193c52f4bb9dcL, 0x3fefa836cd7420e4L},
        new Object[] {"atan", 0xbe865cccb2ae4b4eL, 0xbe865cccb2ae4b14L},
        new Object[] {"atan", 0x3fe08c6be3ca6cf5L, 0x3fde8b886f54aa2aL},
        new Object[] {"atan", 0xbfe84f35c210501aL, 0xbfe4ca0548e9be24L},
        new Object[] {"atan", 0xbfdf40a8b1f1e90cL, 0xbfdd129d9e03930eL},
        new Object[] {"sinh", 0xbf9069c565b233e9L, 0xbf9069f374b8bb63L},
        new Object[] {"sinh", 0x404fe00000000000L, 0x459f617a27e2510dL},
        new Object[] {"sinh", 0x3f2cda9d188f5817L, 0x3f2cda9d1c7846f2L},
        new Object[] {"sinh", 0x3ed7fcb8cd20c5abL, 0x3ed7fcb8cd215570L},
        new Object[] {"cosh", 0xc050000000000000L, 0x45a425982cf597cdL},
        new Object[] {"cosh", 0xc030000000000000L, 0x4150f2ebd0a8005cL},
        new Object[] {"cosh", 0x3fe52d5454167cfbL, 0x3ff3a2272dad455cL},
        new Object[] {"cosh", 0x404a600000000000L, 0x44a12c92740368d6L},
        new Object[] {"tanh", 0x4033c00000000000L, 0x3ff0000000000000L},
        new Object[] {"tanh", 0x43f24cfd4b26c15eL, 0x3ff0000000000000L},
        new Object[] {"tanh", 0x3ffc1651bf095ae9L, 0x3fee24cd87ad129aL},
        new Object[] {"tanh", 0x3fc1c50e34047fc8L, 0x3fc1a80e09855325L},
        new Object[] {"asinh", 0x3e1ce41ad33d0855L, 0x3e1ce41ad33d0855L},
        new Object[] {"asinh", 0x43f43e57e2602987L, 0x4046a51899221423L},
        new Object[] {"asinh", 0x3fe42574e75b6256L, 0x3fe3023006e5cedfL},
        new Object[] {"asinh", 0x4045000000000000L, 0x4011b94d2ed5ad79L},
        new Object[] {"acosh", 0x4043800000000000L, 0x40116d19fb083922L},
        new Object[] {"acosh", 0x40371166d5755ecfL, 0x400ea623794ce760L},
        new Object[] {"acosh", 0x417b46c1e30beb0fL, 0x4031dcb367b157c6L},
        new Object[] {"acosh", 0x4050400000000000L, 0x4013784b7028e4f6L},
        new Object[] {"atanh", 0xbee88be4aea62df6L, 0xbee88be4aeaafe75L},
        new Object[] {"atanh", 0x3fe013e8d7aca622L, 0x3fe1ae81525fc6d7L},
        new Object[] {"atanh", 0xbfc706a0260eaff2L, 0xbfc747792eb44910L},
        new Object[] {"atanh", 0xbf9c5d314aad1f0aL, 0xbf9c5f0cea20a2f3L},
        new Object[] {"pow25", 0xc046200000000000L, 0x3c46b3728641556bL},
        new Object[] {"pow25", 0xc055800000000000L, 0x38d3e497065cd61eL},
        new Object[] {"pow25", 0xc046800000000000L, 0x3c36d601ad376ab9L},
        new Object[] {"pow25", 0xbe9c1c085bd14513L, 0x3fefffff31f2bef5L},
        new Object[] {"powxx", 0x4052200000000000L, 0x5bf07d1de4ff8088L},
        new Object[] {"powxx", 0x0L, 0x3ff0000000000000L},
        new Object[] {"powxx", 0x4009be182b128755L, 0x40457d2128fc265eL},
        new Object[] {"powxx", 0xc044800000000000L, 0xb23441dc67da4757L},
        new Object[] {"atan2_3", 0xc220e7890ed5f47bL, 0x400921fb5441562fL},
        new Object[] {"atan2_3", 0xc192425f84d6af5dL, 0x400921fb4f023accL},
        new Object[] {"atan2_3", 0xc072a42ee620192eL, 0x40090d621107ae8fL},
        new Object[] {"atan2_3", 0x424f70edf9a33695L, 0x3da86d35caab3d09L}
  };

  @Test
  void bitExactWithGo() {
    for (Object[] c : CASES) {
      double x = Double.longBitsToDouble((Long) c[1]);
      double want = Double.longBitsToDouble((Long) c[2]);
      double got = FNS.get((String) c[0]).applyAsDouble(x);
      assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(got),
          c[0] + "(" + x + "): want " + want + ", got " + got);
    }
  }

  @Test
  void specialCasesAsGo() {
    assertEquals(0.0, GoMath.exp(Double.NEGATIVE_INFINITY));
    assertEquals(Double.POSITIVE_INFINITY, GoMath.exp(710));
    assertEquals(0.0, GoMath.exp(-746));
    assertEquals(Double.NEGATIVE_INFINITY, GoMath.log(0));
    assertEquals(Double.NaN, GoMath.log(-1));
    assertEquals(10.0, GoMath.log2(1024));
    assertEquals(-0.0, GoMath.sin(-0.0));
    assertEquals(Double.NaN, GoMath.cos(Double.POSITIVE_INFINITY));
    assertEquals(1.0, GoMath.pow(-1, Double.POSITIVE_INFINITY));
    assertEquals(1.0, GoMath.pow(Double.NaN, 0));
    assertEquals(Double.NEGATIVE_INFINITY, GoMath.pow(-0.0, -3));
    assertEquals(Double.NaN, GoMath.pow(-8, 1.0 / 3));
    assertEquals(Math.PI, GoMath.atan2(0, -1));
    assertEquals(Double.POSITIVE_INFINITY, GoMath.atanh(1));
    // Payne-Hanek reduction for huge arguments stays within [-1, 1].
    double s = GoMath.sin(1e300);
    assertEquals(true, s >= -1 && s <= 1);
    assertEquals(GoMath.INV_LN10, new java.math.BigDecimal(1).divide(
        new java.math.BigDecimal("2.302585092994045684017991454684364207601101488628772976033"),
        java.math.MathContext.DECIMAL128).doubleValue());
    assertEquals(GoMath.INV_LN2, new java.math.BigDecimal(1).divide(
        new java.math.BigDecimal("0.693147180559945309417232121458176568075500134360255254120"),
        java.math.MathContext.DECIMAL128).doubleValue());
  }
}
