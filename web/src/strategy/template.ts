// strategy/template.ts - the code a new strategy starts from: the moving-average
// pullback of docs/strategy-language.md in its Korean form (it passes the check).

export const TEMPLATE = `-- 이평돌파: 종가가 이동평균을 상향 돌파하면 매수, 아래로 내려가거나 손절 수익률에 닿으면 매도
params = {
  기간 = {type = "int", default = 20, min = 5, max = 120, step = 5, help = "이동평균 기간"},
  손절 = {type = "float", default = -3, min = -10, max = -0.5, step = 0.5, help = "손절 수익률(%)"},
}

local 이전가, 이전평균

function on_bar()
  local 평균 = 이동평균(params.기간)
  if 보유수량 == 0 then
    if 이전평균 and 상향돌파(현재가, 평균, 이전가, 이전평균) then
      매수()
    end
  elseif 현재가 < 평균 or 수익률 <= params.손절 then
    매도()
  end
  이전가, 이전평균 = 현재가, 평균
end
`;
