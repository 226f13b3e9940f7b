package dev.tsdb.promql.parser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** parse_query's tree; expected shapes follow upstream's translateAST field by field. */
class AstJsonTest {
  private static Object json(String q) {
    return AstJson.translate(Parser.parseExpr(q, ParserOptions.ALL));
  }

  /** Compact rendering of the nested maps/lists to compare whole trees at once. */
  private static String render(Object o) {
    if (o == null) {
      return "null";
    }
    if (o instanceof Map<?, ?> m) {
      StringBuilder sb = new StringBuilder("{");
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (sb.length() > 1) {
          sb.append(',');
        }
        sb.append(e.getKey()).append(':').append(render(e.getValue()));
      }
      return sb.append('}').toString();
    }
    if (o instanceof List<?> l) {
      StringBuilder sb = new StringBuilder("[");
      for (Object v : l) {
        if (sb.length() > 1) {
          sb.append(',');
        }
        sb.append(render(v));
      }
      return sb.append(']').toString();
    }
    if (o instanceof String s) {
      return "'" + s + "'";
    }
    return o.toString();
  }

  @Test
  void aggregationOverRate() {
    assertEquals("{expr:{args:[{anchored:false,matchers:[{name:'job',type:'=',value:'a'},"
        + "{name:'__name__',type:'=',value:'foo'}],name:'foo',offset:60000,range:300000,"
        + "smoothed:false,startOrEnd:null,timestamp:null,type:'matrixSelector'}],"
        + "func:{argTypes:['matrix'],name:'rate',returnType:'vector',variadic:0},type:'call'},"
        + "grouping:['job'],op:'sum',param:null,type:'aggregation',without:false}",
        render(json("sum by (job) (rate(foo{job=\"a\"}[5m] offset 1m))")));
  }

  @Test
  void binaryWithMatching() {
    assertEquals("{bool:false,lhs:{anchored:false,matchers:[{name:'__name__',type:'=',"
        + "value:'a'}],name:'a',offset:0,smoothed:false,startOrEnd:'start',timestamp:null,"
        + "type:'vectorSelector'},matching:{card:'many-to-one',fillValues:{lhs:null,rhs:null},"
        + "include:['x'],labels:['b'],on:true},op:'/',rhs:{anchored:false,matchers:[{name:"
        + "'__name__',type:'=',value:'c'}],name:'c',offset:0,smoothed:false,startOrEnd:null,"
        + "timestamp:null,type:'vectorSelector'},type:'binaryExpr'}",
        render(json("a @ start() / on(b) group_left(x) c")));
    assertEquals("{bool:true,lhs:{type:'numberLiteral',val:'1'},matching:null,op:'>',"
        + "rhs:{type:'numberLiteral',val:'2'},type:'binaryExpr'}", render(json("1 > bool 2")));
  }

  @Test
  void otherNodes() {
    assertEquals("{expr:{expr:{anchored:false,matchers:[{name:'__name__',type:'=~',value:'x.*'}],"
        + "name:'',offset:0,smoothed:false,startOrEnd:null,timestamp:null,type:'vectorSelector'},"
        + "type:'parenExpr'},op:'-',type:'unaryExpr'}", render(json("-({__name__=~'x.*'})")));
    assertEquals("{alignEvalTime:false,expr:{anchored:false,matchers:[{name:'__name__',type:'=',"
        + "value:'foo'}],name:'foo',offset:0,smoothed:false,startOrEnd:null,timestamp:null,"
        + "type:'vectorSelector'},offset:-60000,range:300000,startOrEnd:null,step:60000,"
        + "timestamp:100500,type:'subquery'}", render(json("foo[5m:1m] @ 100.5 offset -1m")));
    assertEquals("{expr:{anchored:false,matchers:[{name:'__name__',type:'=',value:'x'}],name:'x',"
        + "offset:0,smoothed:false,startOrEnd:null,timestamp:null,type:'vectorSelector'},"
        + "grouping:[],op:'count_values',param:{type:'stringLiteral',val:'v'},"
        + "type:'aggregation',without:true}", render(json("count_values without () ('v', x)")));
    assertEquals("{type:'numberLiteral',val:'300'}", render(json("5m")));
  }
}
