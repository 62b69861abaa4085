const echarts = require('echarts');
const c = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 300 });
c.setOption({ animation: false, aria:{enabled:true, label:{enabled:true}}, yAxis: { type: 'category', data: ['<b>&"x', '发改委'] }, xAxis: {type:'value'}, series: [{ name: '进<i>', type: 'bar', data: [5, 3], label: {show:true, position:'right'} }] });
const s = c.renderToSVGString();
console.log(s.split('\n').filter(l=>/&|<b|aria|进/.test(l)).join('\n'));
console.log(new Set([...s.matchAll(/style="([^"]*)"/g)].flatMap(m=>m[1].split(';').map(x=>x.split(':')[0]))));
console.log(new Set([...s.matchAll(/ ([a-z_-]+)="/g)].map(m=>m[1])));
