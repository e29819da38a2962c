/**
 * Examples from Microsoft's KQL documentation (repository MicrosoftDocs/dataexplorer-docs, folder
 * data-explorer/kusto/query), each with the page it comes from, its query verbatim and the output
 * the page prints. `table` is the page's output table (`|` separated, header first); `rows` is used
 * where a cell's spaces matter. `ordered`: compare row order (only when the query sorts).
 * Left out on purpose (the page's own output disagrees with Kusto as it is today, or depends on the
 * optimizer): replace_string/replace_regex print `tostring(long)` as `1.000000`; join-rightsemi's
 * output lists the left table's columns.
 */
export interface DocCase {
  readonly doc: string;
  readonly query: string;
  readonly table?: string;
  readonly columns?: readonly string[];
  readonly rows?: readonly (readonly string[])[];
  readonly ordered?: boolean;
}

const Q = "data-explorer/kusto/query/";

const XY = `let X = datatable(Key:string, Value1:long)
[
    'a',1,
    'b',2,
    'b',3,
    'c',4
];
let Y = datatable(Key:string, Value2:long)
[
    'b',10,
    'c',20,
    'c',30,
    'd',40
];
`;

const SHAPES = `let shapes = datatable (name: string, sideCount: int)
[
    "triangle", 3,
    "square", 4,
    "rectangle", 4,
    "pentagon", 5,
    "hexagon", 6,
    "heptagon", 7,
    "octagon", 8,
    "nonagon", 9,
    "decagon", 10
];
`;

const TRACES = `let Traces = datatable(EventText: string)
    [
    "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=23, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01, previousLockTime=02/17/2016 08:39:01)",
    "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=15, lockTime=02/17/2016 08:40:00, releaseTime=02/17/2016 08:40:00, previousLockTime=02/17/2016 08:39:00)",
    "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=20, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01, previousLockTime=02/17/2016 08:39:01)",
    "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=22, lockTime=02/17/2016 08:41:01, releaseTime=02/17/2016 08:41:00, previousLockTime=02/17/2016 08:40:01)",
    "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=16, lockTime=02/17/2016 08:41:00, releaseTime=02/17/2016 08:41:00, previousLockTime=02/17/2016 08:40:00)"
];
`;

const GUID = `print Id="82b8be2d-dfa7-4bd1-8f63-24ad26d31449"\n`;

const TRACES_BAD = `let Traces = datatable(EventText: string)
    [
    "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=invalid_number, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01, previousLockTime=02/17/2016 08:39:01)",
    "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=15, lockTime=02/17/2016 08:40:00, releaseTime=invalid_datetime, previousLockTime=02/17/2016 08:39:00)",
    "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=20, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01, previousLockTime=02/17/2016 08:39:01)",
    "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=22, lockTime=02/17/2016 08:41:01, releaseTime=02/17/2016 08:41:00, previousLockTime=02/17/2016 08:40:01)",
    "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=invalid_number, sliceNumber=16, lockTime=02/17/2016 08:41:00, releaseTime=02/17/2016 08:41:00, previousLockTime=02/17/2016 08:40:00)"
];
`;

const TRACES_FLAGS = `let Traces = datatable(EventText: string)
    [
    "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=non_valid_integer, sliceNumber=11, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01, previousLockTime=02/17/2016 08:39:01)",
    "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=15, lockTime=02/17/2016 08:40:00, releaseTime=02/17/2016 08:40:00, previousLockTime=02/17/2016 08:39:00)",
    "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=non_valid_integer, sliceNumber=44, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01, previousLockTime=02/17/2016 08:39:01)",
    "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=22, lockTime=02/17/2016 08:41:01, releaseTime=02/17/2016 08:41:00, previousLockTime=02/17/2016 08:40:01)",
    "Event: NotifySliceRelease (resourceName=PipelineScheduler, totalSlices=27, sliceNumber=16, lockTime=02/17/2016 08:41:00, releaseTime=02/17/2016 08:41:00, previousLockTime=02/17/2016 08:40:00)"
];
`;

export const DOC_CASES: readonly DocCase[] = [
  // --- aggregation functions
  {
    doc: `${Q}arg-max-aggregation-function.md`,
    query: `datatable(Fruit: string, Color: string, Version: int) [
    "Apple", "Red", 1,
    "Apple", "Green", int(null),
    "Banana", "Yellow", int(null),
    "Banana", "Green", int(null),
    "Pear", "Brown", 1,
    "Pear", "Green", 2,
]
| summarize arg_max(Version, *) by Fruit`,
    table: `Fruit | Version | Color
Apple | 1 | Red
Banana |  | Yellow
Pear | 2 | Green`,
  },
  {
    doc: `${Q}make-set-aggregation-function.md`,
    query: `datatable (Val: int, Arr1: dynamic)
[
    1, dynamic(['A1', 'A2', 'A3']), 
    5, dynamic(['A2', 'C1']),
    7, dynamic(['C2', 'A3']),
    5, dynamic(['C2', 'A1'])
] 
| summarize Val_set=make_set(Val), Arr1_set=make_set(Arr1)`,
    table: `Val_set | Arr1_set
[1,5,7] | ["A1","A2","A3","C1","C2"]`,
  },
  {
    doc: `${Q}make-list-aggregation-function.md`,
    query: `${SHAPES}shapes
| summarize mylist = make_list(name)`,
    table: `mylist
["triangle","square","rectangle","pentagon","hexagon","heptagon","octagon","nonagon","decagon"]`,
  },
  {
    doc: `${Q}make-list-aggregation-function.md`,
    query: `${SHAPES}shapes
| summarize mylist = make_list(name) by isEvenSideCount = sideCount % 2 == 0`,
    table: `isEvenSideCount | mylist
false | ["triangle","pentagon","heptagon","nonagon"]
true | ["square","rectangle","hexagon","octagon","decagon"]`,
  },
  {
    doc: `${Q}make-list-aggregation-function.md`,
    query: `${SHAPES}shapes
| extend d = bag_pack("name", name, "sideCount", sideCount)
| summarize mylist = make_list(d) by isEvenSideCount = sideCount % 2 == 0`,
    table: `isEvenSideCount | mylist
false | [{"name":"triangle","sideCount":3},{"name":"pentagon","sideCount":5},{"name":"heptagon","sideCount":7},{"name":"nonagon","sideCount":9}]
true | [{"name":"square","sideCount":4},{"name":"rectangle","sideCount":4},{"name":"hexagon","sideCount":6},{"name":"octagon","sideCount":8},{"name":"decagon","sideCount":10}]`,
  },
  // --- operators on numbers and strings
  {
    doc: `${Q}numerical-operators.md`,
    query: "print plusPlus = 14 % 12, minusPlus = -14 % 12, plusMinus = 14 % -12, minusMinus = -14 % -12",
    table: `plusPlus | minusPlus | plusMinus | minusMinus
2 | 10 | 2 | 10`,
  },
  ...(
    [
      ['substring("123456", 1)', "23456"],
      ['substring("123456", 2, 2)', "34"],
      ['substring("ABCD", 0, 2)', "AB"],
      ['substring("123456", -2, 2)', "56"],
    ] as const
  ).map(([expr, out]) => ({
    doc: `${Q}substring-function.md`,
    query: `print r = ${expr}`,
    table: `r\n${out}`,
  })),
  {
    doc: `${Q}todatetime-function.md`,
    query: "print todatetime('12-02-2022') == datetime('12-02-2022')",
    table: "print_0\ntrue",
  },
  {
    doc: `${Q}indexof-function.md`,
    query: `print
 idx1 = indexof("abcdefg","cde")    // lookup found in input string
 , idx2 = indexof("abcdefg","cde",1,4) // lookup found in researched range 
 , idx3 = indexof("abcdefg","cde",1,2) // search starts from index 1, but stops after 2 chars, so full lookup can't be found
 , idx4 = indexof("abcdefg","cde",3,4) // search starts after occurrence of lookup
 , idx5 = indexof("abcdefg","cde",-5)  // negative start index
 , idx6 = indexof(1234567,5,1,4)       // two first parameters were forcibly casted to strings "12345" and "5"
 , idx7 = indexof("abcdefg","cde",2,-1)  // lookup found in input string
 , idx8 = indexof("abcdefgabcdefg", "cde", 1, 10, 2)   // lookup found in input range
 , idx9 = indexof("abcdefgabcdefg", "cde", 1, -1, 3)   // the third occurrence of lookup is not in researched range`,
    table: `idx1|idx2|idx3|idx4|idx5|idx6|idx7|idx8|idx9
2   |2   |-1  |-1  | 2  |4   |2   |9   |-1`,
  },
  ...(
    [
      ['countof("aaa", "a")', "3"],
      ['countof("aaaa", "aa")', "3"],
      ['countof("ababa", "ab", "normal")', "2"],
      ['countof("ababa", "aba")', "2"],
      ['countof("ababa", "aba", "regex")', "1"],
      ['countof("abcabc", "a.c", "regex")', "2"],
    ] as const
  ).map(([expr, out]) => ({
    doc: `${Q}countof-function.md`,
    query: `print r = ${expr}`,
    table: `r\n${out}`,
  })),
  {
    doc: `${Q}extract-all-function.md`,
    query: 'print extract_all(@"(\\d+)", "a set of numbers: 123, 567 and 789")',
    table: `print_0\n["123", "567", "789"]`,
  },
  {
    doc: `${Q}extract-all-function.md`,
    query: `${GUID}| extend guid_bytes = extract_all(@"([\\da-f]{2})", Id) `,
    table: `Id|guid_bytes
82b8be2d-dfa7-4bd1-8f63-24ad26d31449|["82","b8","be","2d","df","a7","4b","d1","8f","63","24","ad","26","d3","14","49"]`,
  },
  {
    doc: `${Q}extract-all-function.md`,
    query: `${GUID}| extend guid_bytes = extract_all(@"(\\w)(\\w+)(\\w)", Id)`,
    table: `Id|guid_bytes
82b8be2d-dfa7-4bd1-8f63-24ad26d31449|[["8","2b8be2","d"],["d","fa","7"],["4","bd","1"],["8","f6","3"],["2","4ad26d3144","9"]]`,
  },
  {
    doc: `${Q}extract-all-function.md`,
    query: `${GUID}| extend guid_bytes = extract_all(@"(\\w)(\\w+)(\\w)", dynamic([1,3]), Id) `,
    table: `Id|guid_bytes
82b8be2d-dfa7-4bd1-8f63-24ad26d31449|[["8","d"],["d","7"],["4","1"],["8","3"],["2","9"]]`,
  },
  {
    doc: `${Q}extract-all-function.md`,
    query: `${GUID}| extend guid_bytes = extract_all(@"(?P<first>\\w)(?P<middle>\\w+)(?P<last>\\w)", dynamic(['first',2,'last']), Id) `,
    table: `Id|guid_bytes
82b8be2d-dfa7-4bd1-8f63-24ad26d31449|[["8","2b8be2","d"],["d","fa","7"],["4","bd","1"],["8","f6","3"],["2","4ad26d3144","9"]]`,
  },
  {
    doc: `${Q}trim-function.md`,
    query: `let string_to_trim = @"--https://bing.com--";
let substring = "--";
print string_to_trim = string_to_trim, trimmed_string = trim(substring,string_to_trim)`,
    table: `string_to_trim|trimmed_string
--https://bing.com--|https://bing.com`,
  },
  {
    doc: `${Q}trim-function.md`,
    query: `range x from 1 to 5 step 1
| project str = strcat("-  ","Te st",x,@"// $")
| extend trimmed_str = trim(@"[^\\w]+",str)`,
    columns: ["str", "trimmed_str"],
    rows: [1, 2, 3, 4, 5].map((i) => [`-  Te st${i}// $`, `Te st${i}`]),
  },
  {
    doc: `${Q}trim-function.md`,
    query: `let string_to_trim = @"    Hello, world!    ";
let substring = @"\\s+";
print
    string_to_trim = string_to_trim,
    trimmed_string = trim(substring, string_to_trim)`,
    columns: ["string_to_trim", "trimmed_string"],
    rows: [["    Hello, world!    ", "Hello, world!"]],
  },
  ...(
    [
      ['tobool("true") == true', "true"],
      ['tobool("false") == false', "true"],
      ["tobool(1) == true", "true"],
      ["tobool(123) == true", "true"],
    ] as const
  ).map(([expr, out]) => ({ doc: `${Q}tobool-function.md`, query: `print r = ${expr}`, table: `r\n${out}` })),
  // --- datetime functions
  ...(
    [
      ["v1=format_datetime(dt,'yy-MM-dd [HH:mm:ss]')", "v1", "17-01-29 [09:00:05]"],
      ["v2=format_datetime(dt, 'yyyy-M-dd [H:mm:ss]')", "v2", "2017-1-29 [9:00:05]"],
      ["v3=format_datetime(dt, 'yy-MM-dd [hh:mm:ss tt]')", "v3", "17-01-29 [09:00:05 AM]"],
    ] as const
  ).map(([expr, name, out]) => ({
    doc: `${Q}format-datetime-function.md`,
    query: `let dt = datetime(2017-01-29 09:00:05);\nprint \n${expr}`,
    table: `${name}\n${out}`,
  })),
  {
    doc: `${Q}datetime-diff-function.md`,
    query: `print
year = datetime_diff('year',datetime(2017-01-01),datetime(2000-12-31)),
quarter = datetime_diff('quarter',datetime(2017-07-01),datetime(2017-03-30)),
month = datetime_diff('month',datetime(2017-01-01),datetime(2015-12-30)),
week = datetime_diff('week',datetime(2017-10-29 00:00),datetime(2017-09-30 23:59)),
day = datetime_diff('day',datetime(2017-10-29 00:00),datetime(2017-09-30 23:59)),
hour = datetime_diff('hour',datetime(2017-10-31 01:00),datetime(2017-10-30 23:59)),
minute = datetime_diff('minute',datetime(2017-10-30 23:05:01),datetime(2017-10-30 23:00:59)),
second = datetime_diff('second',datetime(2017-10-30 23:00:10.100),datetime(2017-10-30 23:00:00.900)),
millisecond = datetime_diff('millisecond',datetime(2017-10-30 23:00:00.200100),datetime(2017-10-30 23:00:00.100900)),
microsecond = datetime_diff('microsecond',datetime(2017-10-30 23:00:00.1009001),datetime(2017-10-30 23:00:00.1008009)),
nanosecond = datetime_diff('nanosecond',datetime(2017-10-30 23:00:00.0000000),datetime(2017-10-30 23:00:00.0000007))`,
    table: `year|quarter|month|week|day|hour|minute|second|millisecond|microsecond|nanosecond
17|2|13|5|29|2|5|10|100|100|-700`,
  },
  { doc: `${Q}bin-at-function.md`, query: "print bin_at(6.5, 2.5, 7)", table: "print_0\n4.5" },
  { doc: `${Q}bin-at-function.md`, query: "print bin_at(time(1h), 1d, 12h)", table: "print_0\n-12:00:00" },
  {
    doc: `${Q}bin-at-function.md`,
    query: "print bin_at(datetime(2017-05-15 10:20:00.0), 1d, datetime(1970-01-01 12:00:00.0))",
    table: "print_0\n2017-05-14T12:00:00Z",
  },
  {
    doc: `${Q}bin-at-function.md`,
    query: `datatable(Date:datetime, NumOfEvents:int)[
datetime(2018-02-24T15:14),3,
datetime(2018-02-24T15:24),4,
datetime(2018-02-23T16:14),4,
datetime(2018-02-23T17:29),4,
datetime(2018-02-26T15:14),5]
| summarize TotalEvents=sum(NumOfEvents) by bin_at(Date, 1d, datetime(2018-02-24 15:14:00.0000000)) `,
    table: `Date|TotalEvents
2018-02-23T15:14:00Z|8
2018-02-24T15:14:00Z|7
2018-02-26T15:14:00Z|5`,
  },
  {
    doc: `${Q}startofmonth-function.md`,
    query: `range offset from -1 to 1 step 1
| project monthStart = startofmonth(datetime(2017-01-01 10:10:17), offset) `,
    table: `monthStart
2016-12-01 00:00:00.0000000
2017-01-01 00:00:00.0000000
2017-02-01 00:00:00.0000000`,
  },
  {
    doc: `${Q}endofday-function.md`,
    query: `  range offset from -1 to 1 step 1
 | project dayEnd = endofday(datetime(2017-01-01 10:10:17), offset) `,
    table: `dayEnd
2016-12-31 23:59:59.9999999
2017-01-01 23:59:59.9999999
2017-01-02 23:59:59.9999999`,
  },
  // --- range
  {
    doc: `${Q}range-operator.md`,
    query: "range Steps from 1 to 8 step 3",
    table: "Steps\n1\n4\n7",
    ordered: true,
  },
  {
    doc: `${Q}range-operator.md`,
    query: `let Range1 = range Time from datetime(2024-01-01) to datetime(2024-01-05) step 1d;
let Range2 = range Time from datetime(2024-01-06) to datetime(2024-01-10) step 1d;
union Range1, Range2
| order by Time asc
`,
    // The page prints from 2024-01-04 (its first rows cut off); the query yields 2024-01-01 to 2024-01-10.
    table: `Time
2024-01-01 00:00:00.0000000
2024-01-02 00:00:00.0000000
2024-01-03 00:00:00.0000000
2024-01-04 00:00:00.0000000
2024-01-05 00:00:00.0000000
2024-01-06 00:00:00.0000000
2024-01-07 00:00:00.0000000
2024-01-08 00:00:00.0000000
2024-01-09 00:00:00.0000000
2024-01-10 00:00:00.0000000`,
    ordered: true,
  },
  // --- join and lookup
  {
    doc: `${Q}join-innerunique.md`,
    query: `${XY}X | join Y on Key`,
    table: `Key|Value1|Key1|Value2
b|2|b|10
c|4|c|20
c|4|c|30`,
  },
  {
    doc: `${Q}join-innerunique.md`,
    query: `let t1 = datatable(key: long, value: string)  
    [
    1, "val1.1",  
    1, "val1.2"  
];
let t2 = datatable(key: long, value: string)  
    [  
    1, "val1.3",
    1, "val1.4"  
];
t1
| join kind = innerunique
    t2
    on key`,
    table: `key|value|key1|value1
1|val1.1|1|val1.3
1|val1.1|1|val1.4`,
  },
  {
    doc: `${Q}join-innerunique.md`,
    query: `let t1 = datatable(key: long, value: string)  
    [
    1, "val1.1",  
    1, "val1.2"  
];
let t2 = datatable(key: long, value: string)  
    [  
    1, "val1.3", 
    1, "val1.4"  
];
t1
| join kind = innerunique
    t2
    on key
| where value == "val1.2"`,
    table: `key|value|key1|value1
1|val1.2|1|val1.3
1|val1.2|1|val1.4`,
  },
  {
    doc: `${Q}join-fullouter.md`,
    query: `${XY}X | join kind=fullouter Y on Key`,
    table: `Key|Value1|Key1|Value2
a|1|||
b|2|b|10
b|3|b|10
c|4|c|20
c|4|c|30
||d|40`,
  },
  {
    doc: `${Q}join-leftouter.md`,
    query: `${XY}X | join kind=leftouter Y on Key`,
    table: `Key|Value1|Key1|Value2
a|1|||
b|2|b|10
b|3|b|10
c|4|c|20
c|4|c|30`,
  },
  {
    doc: `${Q}join-leftanti.md`,
    query: `${XY}X | join kind=leftanti Y on Key`,
    table: "Key|Value1\na|1",
  },
  {
    doc: `${Q}lookup-operator.md`,
    query: `let FactTable=datatable(Row:string,Personal:string,Family:string) [
  "1", "Bill",   "Gates",
  "2", "Bill",   "Clinton",
  "3", "Bill",   "Clinton",
  "4", "Steve",  "Ballmer",
  "5", "Tim",    "Cook"
];
let DimTable=datatable(Personal:string,Family:string,Alias:string) [
  "Bill",  "Gates",   "billg",
  "Bill",  "Clinton", "billc",
  "Steve", "Ballmer", "steveb",
  "Tim",   "Cook",    "timc"
];
FactTable
| lookup kind=leftouter DimTable on Personal, Family`,
    table: `Row     | Personal  | Family   | Alias
1       | Bill      | Gates    | billg
2       | Bill      | Clinton  | billc
3       | Bill      | Clinton  | billc
4       | Steve     | Ballmer  | steveb
5       | Tim       | Cook     | timc`,
  },
  // --- parse
  {
    doc: `${Q}parse-operator.md`,
    query: `${TRACES}Traces  
| parse EventText with * "resourceName=" resourceName ", totalSlices=" totalSlices: long * "sliceNumber=" sliceNumber: long * "lockTime=" lockTime ", releaseTime=" releaseTime: date "," * "previousLockTime=" previousLockTime: date ")" *  
| project resourceName, totalSlices, sliceNumber, lockTime, releaseTime, previousLockTime`,
    table: `resourceName|totalSlices|sliceNumber|lockTime|releaseTime|previousLockTime
PipelineScheduler|27|15|02/17/2016 08:40:00|2016-02-17 08:40:00.0000000|2016-02-17 08:39:00.0000000
PipelineScheduler|27|23|02/17/2016 08:40:01|2016-02-17 08:40:01.0000000|2016-02-17 08:39:01.0000000
PipelineScheduler|27|20|02/17/2016 08:40:01|2016-02-17 08:40:01.0000000|2016-02-17 08:39:01.0000000
PipelineScheduler|27|16|02/17/2016 08:41:00|2016-02-17 08:41:00.0000000|2016-02-17 08:40:00.0000000
PipelineScheduler|27|22|02/17/2016 08:41:01|2016-02-17 08:41:00.0000000|2016-02-17 08:40:01.0000000`,
  },
  {
    doc: `${Q}parse-operator.md`,
    query: `let Leads=datatable(Contacts: string)
    [
    "Event: LeadContact (email=john@contosohotel.com, Website=https:contosohotel.com)",
	"Event: LeadContact (email=abi@fourthcoffee.com, Website=https:www.fourthcoffee.com)",
	"Event: LeadContact (email=nevena@treyresearch.com, Website=https:treyresearch.com)",
	"Event: LeadContact (email=faruk@tailspintoys.com, Website=https:tailspintoys.com)",
	"Event: LeadContact (email=ebere@relecloud.com, Website=https:relecloud.com)",
];
Leads
| parse Contacts with * "email=" alias:string "@" domain: string ", Website=https:" WebsiteDomain: string ")"
| project EmailAddress=strcat(alias, "@", domain), EmailAlias=alias, WebsiteDomain`,
    table: `EmailAddress|EmailAlias|WebsiteDomain
nevena@treyresearch.com|nevena|treyresearch.com
john@contosohotel.com|john|contosohotel.com
faruk@tailspintoys.com|faruk|tailspintoys.com
ebere@relecloud.com|ebere|relecloud.com
abi@fourthcoffee.com|abi|www.fourthcoffee.com`,
  },
  {
    doc: `${Q}parse-operator.md`,
    query: `${TRACES}Traces  
| parse kind=regex EventText with "(.*?)[a-zA-Z]*=" resourceName @", totalSlices=\\s*\\d+\\s*.*?sliceNumber=" sliceNumber: long  ".*?(previous)?lockTime=" lockTime ".*?releaseTime=" releaseTime ".*?previousLockTime=" previousLockTime: date "\\\\)"  
| project resourceName, sliceNumber, lockTime, releaseTime, previousLockTime`,
    columns: ["resourceName", "sliceNumber", "lockTime", "releaseTime", "previousLockTime"],
    rows: [
      [
        "PipelineScheduler",
        "15",
        "02/17/2016 08:40:00, ",
        "02/17/2016 08:40:00, ",
        "2016-02-17 08:39:00.0000000",
      ],
      [
        "PipelineScheduler",
        "23",
        "02/17/2016 08:40:01, ",
        "02/17/2016 08:40:01, ",
        "2016-02-17 08:39:01.0000000",
      ],
      [
        "PipelineScheduler",
        "20",
        "02/17/2016 08:40:01, ",
        "02/17/2016 08:40:01, ",
        "2016-02-17 08:39:01.0000000",
      ],
      [
        "PipelineScheduler",
        "16",
        "02/17/2016 08:41:00, ",
        "02/17/2016 08:41:00, ",
        "2016-02-17 08:40:00.0000000",
      ],
      [
        "PipelineScheduler",
        "22",
        "02/17/2016 08:41:01, ",
        "02/17/2016 08:41:00, ",
        "2016-02-17 08:40:01.0000000",
      ],
    ],
  },
  {
    doc: `${Q}parse-operator.md`,
    query: `${TRACES}Traces
| parse kind=regex EventText with * "resourceName=" resourceName ',' *
| project resourceName`,
    table: `resourceName
PipelineScheduler, totalSlices=27, sliceNumber=23, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01
PipelineScheduler, totalSlices=27, sliceNumber=15, lockTime=02/17/2016 08:40:00, releaseTime=02/17/2016 08:40:00
PipelineScheduler, totalSlices=27, sliceNumber=20, lockTime=02/17/2016 08:40:01, releaseTime=02/17/2016 08:40:01
PipelineScheduler, totalSlices=27, sliceNumber=22, lockTime=02/17/2016 08:41:01, releaseTime=02/17/2016 08:41:00
PipelineScheduler, totalSlices=27, sliceNumber=16, lockTime=02/17/2016 08:41:00, releaseTime=02/17/2016 08:41:00`,
  },
  // --- mv-expand
  {
    doc: `${Q}mv-expand-operator.md`,
    query: `datatable (a: int, b: dynamic)
[
    1, dynamic([10, 20]),
    2, dynamic(['a', 'b'])
]
| mv-expand b`,
    table: `a | b
1 | 10
1 | 20
2 | a
2 | b`,
  },
  {
    doc: `${Q}mv-expand-operator.md`,
    query: `datatable (a: int, b: dynamic)
[
    1, dynamic({"prop1": "a1", "prop2": "b1"}),
    2, dynamic({"prop1": "a2", "prop2": "b2"})
]
| mv-expand b`,
    table: `a | b
1 | {"prop1": "a1"}
1 | {"prop2": "b1"}
2 | {"prop1": "a2"}
2 | {"prop2": "b2"}`,
  },
  {
    doc: `${Q}mv-expand-operator.md`,
    query: `datatable (a: int, b: dynamic)
[
    1, dynamic({"prop1": "a1", "prop2": "b1"}),
    2, dynamic({"prop1": "a2", "prop2": "b2"})
]
| mv-expand kind=array b 
| extend key = b[0], val=b[1]`,
    table: `a | b | key | val
1 | ["prop1","a1"] | prop1 | a1
1 | ["prop2","b1"] | prop2 | b1
2 | ["prop1","a2"] | prop1 | a2
2 | ["prop2","b2"] | prop2 | b2`,
  },
  {
    doc: `${Q}mv-expand-operator.md`,
    query: `datatable (a: int, b: dynamic, c: dynamic)[
    1, dynamic({"prop1": "a", "prop2": "b"}), dynamic([5, 4, 3])
]
| mv-expand b, c`,
    table: `a | b | c
1 | {"prop1":"a"} | 5
1 | {"prop2":"b"} | 4
1 |  | 3`,
  },
  {
    doc: `${Q}mv-expand-operator.md`,
    query: `datatable (a: int, b: dynamic, c: dynamic)
[
    1, dynamic({"prop1": "a", "prop2": "b"}), dynamic([5, 6])
]
| mv-expand b
| mv-expand c`,
    table: `a | b | c
1 | {  "prop1": "a"} | 5
1 | {  "prop1": "a"} | 6
1 | {  "prop2": "b"} | 5
1 | {  "prop2": "b"} | 6`,
  },
  {
    doc: `${Q}mv-expand-operator.md`,
    query: `range x from 1 to 4 step 1
| summarize x = make_list(x)
| mv-expand with_itemindex=Index x`,
    table: `x | Index
1 | 0
2 | 1
3 | 2
4 | 3`,
  },
  // --- more functions
  {
    doc: `${Q}datetime-add-function.md`,
    query: `print  year = datetime_add('year',1,make_datetime(2017,1,1)),
quarter = datetime_add('quarter',1,make_datetime(2017,1,1)),
month = datetime_add('month',1,make_datetime(2017,1,1)),
week = datetime_add('week',1,make_datetime(2017,1,1)),
day = datetime_add('day',1,make_datetime(2017,1,1)),
hour = datetime_add('hour',1,make_datetime(2017,1,1)),
minute = datetime_add('minute',1,make_datetime(2017,1,1)),
second = datetime_add('second',1,make_datetime(2017,1,1))`,
    table: `year|quarter|month|week|day|hour|minute|second
2018-01-01 00:00:00.0000000|2017-04-01 00:00:00.0000000|2017-02-01 00:00:00.0000000|2017-01-08 00:00:00.0000000|2017-01-02 00:00:00.0000000|2017-01-01 01:00:00.0000000|2017-01-01 00:01:00.0000000|2017-01-01 00:00:01.0000000`,
  },
  {
    doc: `${Q}datetime-add-function.md`,
    query: `print  year = datetime_add('year',-5,make_datetime(2017,1,1)),
quarter = datetime_add('quarter',12,make_datetime(2017,1,1)),
month = datetime_add('month',-15,make_datetime(2017,1,1)),
week = datetime_add('week',100,make_datetime(2017,1,1))`,
    table: `year|quarter|month|week
2012-01-01T00:00:00Z|2020-01-01T00:00:00Z|2015-10-01T00:00:00Z|2018-12-02T00:00:00Z`,
  },
  {
    doc: `${Q}strcat-array-function.md`,
    query: `print str = strcat_array(dynamic([1, 2, 3]), "->")`,
    table: "str\n1->2->3",
  },
  {
    doc: `${Q}strcat-array-function.md`,
    query: `print str = strcat_array(dynamic([1, 2, 3]), '"')`,
    table: 'str\n1"2"3',
  },
  {
    doc: `${Q}array-sort-asc-function.md`,
    query: `let array1 = dynamic([1,3,4,5,2]);
let array2 = dynamic(["a","b","c","d","e"]);
print array_sort_asc(array1,array2)`,
    table: `array1_sorted|array2_sorted
[1,2,3,4,5]|["a","e","b","c","d"]`,
  },
  {
    doc: `${Q}array-sort-asc-function.md`,
    query: `let Names = "John,Paul,George,Ringo";
let SortedNames = strcat_array(array_sort_asc(split(Names, ",")), ",");
print result = SortedNames`,
    table: "result\nGeorge,John,Paul,Ringo",
  },
  {
    doc: `${Q}array-sort-asc-function.md`,
    query: `print array_sort_asc(dynamic([null,"blue","yellow","green",null]))`,
    table: `print_0\n["blue","green","yellow",null,null]`,
  },
  {
    doc: `${Q}arg-min-aggregation-function.md`,
    query: `datatable(Fruit: string, Color: string, Version: int) [
    "Apple", "Red", 1,
    "Apple", "Green", int(null),
    "Banana", "Yellow", int(null),
    "Banana", "Green", int(null),
    "Pear", "Brown", 1,
    "Pear", "Green", 2,
]
| summarize arg_min(Version, *) by Fruit`,
    table: `Fruit | Version | Color
Apple | 1 | Red
Banana |  | Yellow
Pear | 1 | Brown`,
  },
  {
    doc: `${Q}parse-where-operator.md`,
    query: `${TRACES_BAD}Traces  
| parse-where EventText with * "resourceName=" resourceName ", totalSlices=" totalSlices: long * "sliceNumber=" sliceNumber: long * "lockTime=" lockTime ", releaseTime=" releaseTime: date "," * "previousLockTime=" previousLockTime: date ")" *  
| project
    resourceName,
    totalSlices,
    sliceNumber,
    lockTime,
    releaseTime,
    previousLockTime`,
    table: `resourceName|totalSlices|sliceNumber|lockTime|releaseTime|previousLockTime
PipelineScheduler|27|20|02/17/2016 08:40:01|2016-02-17 08:40:01.0000000|2016-02-17 08:39:01.0000000
PipelineScheduler|27|22|02/17/2016 08:41:01|2016-02-17 08:41:00.0000000|2016-02-17 08:40:01.0000000`,
  },
  {
    doc: `${Q}parse-where-operator.md`,
    query: `${TRACES_FLAGS}Traces
| parse-where kind = regex EventText with * "RESOURCENAME=" resourceName "," * "totalSlices=" totalSlices: long "," *
| project resourceName, totalSlices`,
    // The page prints an empty row for "no result".
    table: "resourceName|totalSlices",
  },
  {
    doc: `${Q}parse-where-operator.md`,
    query: `${TRACES_FLAGS}Traces
| parse-where kind = regex flags=i EventText with * "RESOURCENAME=" resourceName "," * "totalSlices=" totalSlices: long "," *
| project resourceName, totalSlices`,
    table: `resourceName|totalSlices
PipelineScheduler|27
PipelineScheduler|27
PipelineScheduler|27`,
  },
  {
    doc: `${Q}trim-start-function.md`,
    query: `let string_to_trim = @"https://bing.com";
let substring = "https://";
print string_to_trim = string_to_trim,trimmed_string = trim_start(substring,string_to_trim)`,
    table: `string_to_trim|trimmed_string
https://bing.com|bing.com`,
  },
  {
    doc: `${Q}trim-start-function.md`,
    query: `range x from 1 to 5 step 1
| project str = strcat("-  ","Te st",x,@"// $")
| extend trimmed_str = trim_start(@"[^\\w]+",str)`,
    columns: ["str", "trimmed_str"],
    rows: [1, 2, 3, 4, 5].map((i) => [`-  Te st${i}// $`, `Te st${i}// $`]),
  },
  {
    doc: `${Q}trim-start-function.md`,
    query: `let string_to_trim = @"    Hello, world!    ";
let substring = @"\\s+";
print
    string_to_trim = string_to_trim,
    trimmed_start = trim_start(substring, string_to_trim)`,
    columns: ["string_to_trim", "trimmed_start"],
    rows: [["    Hello, world!    ", "Hello, world!    "]],
  },
  {
    doc: `${Q}parse-json-function.md`,
    query: `datatable(context_custom_metrics:string)
[
    '{"duration":{"value":118.0,"count":5.0,"min":100.0,"max":150.0,"stdDev":0.0,"sampledValue":118.0,"sum":118.0}}'
]
| extend d = parse_json(context_custom_metrics)
| extend duration_value = d.duration.value, duration_min = d.duration.min`,
    table: `context_custom_metrics | d | duration_value | duration_min
{"duration":{"value":118.0,"count":5.0,"min":100.0,"max":150.0,"stdDev":0.0,"sampledValue":118.0,"sum":118.0}} | {"duration":{"value":118,"count":5,"min":100,"max":150,"stdDev":0,"sampledValue":118,"sum":118}} | 118 | 100`,
  },
  {
    doc: `${Q}parse-json-function.md`,
    query: `let d='{"a":123, "b":"{\\\\"c\\\\":456}"}';
print d_b_c=parse_json(tostring(parse_json(d).b)).c`,
    table: "d_b_c\n456",
  },
];
